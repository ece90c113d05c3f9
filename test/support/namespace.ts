// A fresh namespace for each test, deleted after it (the namespace controller removes what is in it).
import { randomBytes } from 'node:crypto';
import { kube } from './kube.ts';
import { waitFor } from './wait-for.ts';

/** A DNS-1123 namespace name from a test name: lower case, dashes, at most 63 characters. */
export function namespaceName(testName: string, suffix: string): string {
  const base = testName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return `${base || 'test'}-${suffix}`;
}

export async function createNamespace(testName: string): Promise<string> {
  const name = namespaceName(testName, randomBytes(3).toString('hex'));
  await kube().core.createNamespace({
    body: { metadata: { name, labels: { 'rollout-kit.test/namespace': 'true' } } },
  });
  // Pods are refused until the namespace's default ServiceAccount exists.
  await waitFor(`ServiceAccount default in ${name}`, () =>
    kube()
      .core.readNamespacedServiceAccount({ name: 'default', namespace: name })
      .then(() => true),
  );
  return name;
}

export async function deleteNamespace(name: string): Promise<void> {
  await kube()
    .core.deleteNamespace({ name })
    .catch(() => undefined);
}

/** Registers hooks that give each test of the file its own namespace; read `.name` inside a test. */
export function namespacePerTest(): { readonly name: string } {
  const state = { name: '' };
  beforeEach(async () => {
    state.name = await createNamespace(expect.getState().currentTestName ?? 'test');
  });
  afterEach(async () => {
    if (state.name) await deleteNamespace(state.name);
  });
  return state;
}
