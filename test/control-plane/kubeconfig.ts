// The one kubeconfig of a run, with credentials embedded so it can be copied anywhere and read
// by kubectl, the Go components and @kubernetes/client-node alike.
import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  caCertPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  namespace?: string;
}

const b64 = (pem: string) => Buffer.from(pem).toString('base64');

export function renderKubeconfig(input: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'rollout-kit',
        cluster: { server: input.server, 'certificate-authority-data': b64(input.caCertPem) },
      },
    ],
    users: [
      {
        name: 'rollout-kit-admin',
        user: {
          'client-certificate-data': b64(input.clientCertPem),
          'client-key-data': b64(input.clientKeyPem),
        },
      },
    ],
    contexts: [
      {
        name: 'rollout-kit',
        context: {
          cluster: 'rollout-kit',
          user: 'rollout-kit-admin',
          namespace: input.namespace ?? 'default',
        },
      },
    ],
    'current-context': 'rollout-kit',
  });
}
