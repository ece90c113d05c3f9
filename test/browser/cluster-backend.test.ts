// The host page fed by the local control plane (what `make demo` serves): a Rollout, a ReplicaSet
// it owns and that ReplicaSet's pods, run by the real controller-manager on KWOK nodes, reach the
// page as Argo CD's tree and live manifest, the tab renders them in chromium, and actions are
// refused (the page is read-only).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { waitFor } from '../support/wait-for.ts';
import type { ApplicationTree } from './argocd-tree.ts';
import { launchChromium } from './chromium.ts';
import { clusterBackend } from './cluster-backend.ts';
import { prepareExtensions } from './extension-tar.ts';
import { startHost } from './host-server.ts';

const run = promisify(execFile);
const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const CRD = join(import.meta.dirname, '..', '..', 'controller', 'manifests', 'crds', 'rollout-crd.yaml');

/**
 * Installs the Rollout CRD (another test may have already) and waits until it is served. Through
 * kubectl: client-node's typed createCustomResourceDefinition drops the `x-kubernetes-*` schema
 * keys of a plain YAML object, and the API server then refuses the int-or-string fields.
 */
async function ensureRolloutCrd() {
  await run('kubectl', ['apply', '--server-side', '--force-conflicts', '-f', CRD]);
  await waitFor('CRD rollouts.argoproj.io Established', async () => {
    const crd = await kube().apiextensions.readCustomResourceDefinition({ name: 'rollouts.argoproj.io' });
    return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
  });
}

const ns = namespacePerTest();
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rollout-kit-cluster-backend-'));
  await ensureRolloutCrd();
});

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

test('a live Rollout, its ReplicaSet and pods reach the page and the tab renders them', async () => {
  const namespace = ns.name;
  const labels = { app: 'web' };
  const rollout = (await kube().custom.createNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace,
    plural: 'rollouts',
    body: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } },
        strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
      },
    },
  })) as { metadata: { uid: string } };
  const hash = '5d8b7c6f9a';
  const podLabels = { ...labels, 'rollouts-pod-template-hash': hash };
  await kube().apps.createNamespacedReplicaSet({
    namespace,
    body: {
      metadata: {
        name: `web-${hash}`,
        labels: podLabels,
        annotations: { 'rollout.argoproj.io/revision': '1' },
        ownerReferences: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Rollout',
            name: 'web',
            uid: rollout.metadata.uid,
            controller: true,
          },
        ],
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: podLabels },
        template: {
          metadata: { labels: podLabels },
          spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] },
        },
      },
    },
  });

  const backend = clusterBackend(kube().config, { namespace });
  const host = await startHost({
    react: '19',
    extensionsDir: (await prepareExtensions(work)).extensionsDir,
    backend,
  });
  try {
    const treeUrl = `${host.url}api/v1/applications/local/resource-tree?appNamespace=argocd`;
    const tree = await waitFor(
      'two ready pods of web in the tree',
      async () => {
        const body = (await (await fetch(treeUrl)).json()) as ApplicationTree;
        const ready = body.nodes.filter(
          (n) => n.kind === 'Pod' && n.info.some((i) => i.name === 'Containers' && i.value === '1/1'),
        );
        return ready.length === 2 && body;
      },
      { timeoutMs: 60_000, observe: async () => (await fetch(treeUrl)).text() },
    );
    const set = tree.nodes.find((n) => n.kind === 'ReplicaSet');
    expect(set).toMatchObject({
      group: 'apps',
      name: `web-${hash}`,
      parentRefs: [
        { group: 'argoproj.io', kind: 'Rollout', name: 'web', namespace, uid: rollout.metadata.uid },
      ],
      info: [{ name: 'Revision', value: 'Rev:1' }],
    });
    expect(
      tree.nodes.filter((n) => n.kind === 'Pod').every((p) => p.parentRefs[0]?.name === `web-${hash}`),
    ).toBe(true);

    const query = new URLSearchParams({
      appNamespace: 'argocd',
      namespace,
      resourceName: 'web',
      version: 'v1alpha1',
      kind: 'Rollout',
      group: 'argoproj.io',
    });
    const resource = (await (
      await fetch(`${host.url}api/v1/applications/local/resource?${query.toString()}`)
    ).json()) as { manifest: string };
    expect(JSON.parse(resource.manifest)).toMatchObject({
      kind: 'Rollout',
      metadata: { name: 'web', namespace },
    });

    const refused = await fetch(`${host.url}api/v1/applications/local/resource/actions/v2`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'abort' }),
    });
    expect(refused.status).toBe(403);

    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(err.message));
      page.on('console', (msg) => void (msg.type() === 'error' && problems.push(msg.text())));
      await page.goto(`${host.url}?node=${encodeURIComponent(`argoproj.io/Rollout/${namespace}/web/0`)}`);
      const panel = page.getByRole('tabpanel', { name: 'Rollout' });
      await panel.getByRole('region', { name: 'Summary' }).waitFor({ timeout: 20_000 });
      await panel.getByText(`web-${hash}`).first().waitFor({ timeout: 20_000 });
      await expect(panel.getByRole('alert').count()).resolves.toBe(0);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'react19-live-cluster.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  } finally {
    await host.close();
  }
});
