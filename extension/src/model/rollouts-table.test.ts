import { blueGreenPreview, canaryPaused, twoRevisionTree } from './fixtures.ts';
import { rolloutLink, rolloutNodes, rolloutRows } from './rollouts-table.ts';

function treeWithTwoRollouts() {
  const tree = twoRevisionTree();
  tree.nodes?.push(
    {
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Rollout',
      name: 'api',
      namespace: 'shop',
      resourceVersion: '7',
      health: { status: 'Suspended' },
    },
    { group: 'example.com', version: 'v1', kind: 'Rollout', name: 'foreign', namespace: 'shop' },
    { group: 'argoproj.io', version: 'v1alpha1', kind: 'Rollout', namespace: 'shop' },
  );
  return tree;
}

test('Rollout nodes of the tree by namespace and name; other groups and nameless nodes are skipped', () => {
  expect(rolloutNodes(treeWithTwoRollouts())).toEqual([
    { namespace: 'shop', name: 'api', version: 'v1alpha1', resourceVersion: '7', health: 'Suspended' },
    { namespace: 'shop', name: 'web', version: 'v1alpha1' },
  ]);
  expect(rolloutNodes(undefined)).toEqual([]);
  expect(rolloutNodes({ nodes: 'x' as never })).toEqual([]);
});

test('rows: the own Rollout from props, others from their live objects, unread ones without summary', () => {
  const api = blueGreenPreview();
  api.metadata = { name: 'api', namespace: 'shop' };
  const rows = rolloutRows({
    tree: treeWithTwoRollouts(),
    self: canaryPaused(),
    live: new Map([['shop/api', api as Record<string, unknown>]]),
  });
  expect(rows.map((r) => [r.ref.name, r.current, r.summary?.phase, r.summary?.strategy])).toEqual([
    ['api', false, 'Paused', 'blueGreen'],
    ['web', true, 'Paused', 'canary'],
  ]);
  expect(rows[1]?.summary).toMatchObject({ step: { index: 1, total: 5 }, setWeight: 20 });
  const unread = rolloutRows({ tree: treeWithTwoRollouts(), self: canaryPaused(), live: new Map() });
  expect(unread[0]?.summary).toBeUndefined();
});

test.each([
  {
    name: 'keeps the open tab and replaces the selected node',
    page: 'https://cd.example.com/applications/argocd/shop?node=argoproj.io%2FRollout%2Fshop%2Fweb%2F0&tab=extension-0',
    want: 'https://cd.example.com/applications/argocd/shop?node=argoproj.io%2FRollout%2Fshop%2Fapi%2F0&tab=extension-0',
  },
  {
    name: 'adds the node to a page without one, under a base href',
    page: 'https://cd.example.com/argo-cd/applications/argocd/shop',
    want: 'https://cd.example.com/argo-cd/applications/argocd/shop?node=argoproj.io%2FRollout%2Fshop%2Fapi%2F0',
  },
])('rolloutLink: $name', ({ page, want }) => {
  expect(rolloutLink(page, { namespace: 'shop', name: 'api' })).toBe(want);
});
