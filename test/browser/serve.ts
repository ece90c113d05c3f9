// Serves the browser test's host page for a live cluster, so the Rollout tab can be seen on the
// cluster's Rollouts (`make demo` does the same in-process). Read-only unless --actions: then the
// tab's actions (promote, abort, retry, undo, ...) change the cluster's Rollouts as Argo CD would.
//
//   node test/browser/serve.ts [--kubeconfig FILE] [--namespace NS] [--react 19|16] [--port N] [--actions]
//
// Prints the page's URL, then serves until Ctrl-C.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { clusterBackend } from './cluster-backend.ts';
import { prepareExtensions } from './extension-tar.ts';
import { startHost, type ReactLine } from './host-server.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string', default: process.env.KUBECONFIG },
    namespace: { type: 'string' },
    react: { type: 'string', default: '19' },
    port: { type: 'string', default: '0' },
    actions: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`[serve] ${message}`);
  process.exit(2);
}

if (values.kubeconfig === undefined || values.kubeconfig === '')
  fail('no kubeconfig: pass --kubeconfig or set KUBECONFIG');
if (values.react !== '19' && values.react !== '16') fail(`--react must be 19 or 16, not ${values.react}`);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be a port number, not ${values.port}`);

const config = new KubeConfig();
try {
  config.loadFromFile(values.kubeconfig);
} catch (err) {
  fail(`reading ${values.kubeconfig}: ${err instanceof Error ? err.message : String(err)}`);
}

const work = await mkdtemp(join(tmpdir(), 'rollout-kit-serve-'));
const { tar, extensionsDir } = await prepareExtensions(work);
const host = await startHost({
  react: values.react as ReactLine,
  extensionsDir,
  backend: clusterBackend(config, {
    ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
    actions: values.actions,
  }),
  refreshMs: 2000,
  port,
  log: (line) => console.error(`[serve] ${line}`),
});
console.log(`[serve] the Rollout tab (React ${values.react}, ${tar}) on the cluster's Rollouts: ${host.url}`);

async function stop() {
  await host.close();
  await rm(work, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
