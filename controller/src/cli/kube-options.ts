// Connection flags as kubectl reads them: --kubeconfig (else KUBECONFIG, else ~/.kube/config),
// --context, -n/--namespace (else the context's namespace, else "default"), -A.
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../kube/client.ts';

export interface KubeFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
}

export interface Connection {
  client: KubeClient;
  /** The namespace to act in. */
  namespace: string;
}

export function connect(flags: KubeFlags): Connection {
  const config = new KubeConfig();
  if (flags.kubeconfig) config.loadFromFile(flags.kubeconfig);
  else config.loadFromDefault();
  if (flags.context) {
    if (!config.getContextObject(flags.context)) throw new Error(`context "${flags.context}" does not exist`);
    config.setCurrentContext(flags.context);
  }
  if (!config.getCurrentCluster())
    throw new Error('no cluster in the kubeconfig: set --kubeconfig or KUBECONFIG');
  const namespace =
    flags.namespace || config.getContextObject(config.getCurrentContext())?.namespace || 'default';
  // An interactive tool: no client-side rate limit beyond the API server's own.
  return { client: new KubeClient(config, { qps: 0 }), namespace };
}
