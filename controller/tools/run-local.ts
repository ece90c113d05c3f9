// `make run`: installs (or updates) the CRDs in the cluster of the kubeconfig (--kubeconfig, else
// KUBECONFIG, ~/.kube/config), then runs the controller from source in this process, as operator
// projects conventionally do.
//
//   node controller/tools/run-local.ts [controller flags…]
//
// Leader election is off unless a flag turns it on: a controller on a laptop has no
// POD_NAMESPACE, and the Lease namespace (argo-rollouts) may not exist in a development cluster.
// The CRDs are applied server-side (the Rollout CRD is too large for client-side apply's
// last-applied annotation), forcing ownership as `kubectl apply --server-side --force-conflicts`.
// They are sent as raw JSON: client-node's typed serializer would drop the
// x-kubernetes-int-or-string markers of the schema.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createKubeClient, type KubeClient } from '../src/kube/client.ts';
import { kubeCall } from '../src/kube/errors.ts';

const FIELD_MANAGER = 'rollout-kit-run-local';
const CRDS_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const crdDir = join(import.meta.dirname, '..', 'manifests', 'crds');

interface Crd {
  metadata: { name: string };
  status?: { conditions?: { type: string; status: string }[] };
}

async function applyCrds(client: KubeClient): Promise<void> {
  const files = (await readdir(crdDir)).filter((f) => f.endsWith('.yaml')).sort();
  const names: string[] = [];
  for (const file of files) {
    const crd = parse(await readFile(join(crdDir, file), 'utf8')) as Crd;
    const name = crd.metadata.name;
    await kubeCall(`applying CRD ${name}`, () =>
      client.requestJson('PATCH', `${CRDS_PATH}/${name}`, {
        query: { fieldManager: FIELD_MANAGER, force: 'true' },
        body: crd,
        contentType: 'application/apply-patch+yaml',
      }),
    );
    process.stderr.write(`run-local: applied ${name}\n`);
    names.push(name);
  }
  for (const name of names) await waitEstablished(client, name);
}

async function waitEstablished(client: KubeClient, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const crd = await kubeCall(`reading CRD ${name}`, () =>
      client.requestJson<Crd>('GET', `${CRDS_PATH}/${name}`),
    );
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} not Established after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const args = process.argv.slice(2);
const flagAt = args.indexOf('--kubeconfig');
const kubeconfig =
  flagAt >= 0
    ? args[flagAt + 1]
    : args.find((a) => a.startsWith('--kubeconfig='))?.slice('--kubeconfig='.length);
try {
  await applyCrds(createKubeClient({ kubeconfig }));
} catch (error) {
  process.stderr.write(
    `run-local: could not install the CRDs: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
// The controller reads process.argv itself; flags given here come last and win.
process.argv = [
  process.argv[0] ?? 'node',
  join(import.meta.dirname, '..', 'src', 'main.ts'),
  '--leader-elect=false',
  ...args,
];
await import('../src/main.ts');
