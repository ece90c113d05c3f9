import type { ApplicationTree } from './argocd.ts';
import {
  blueGreenPreview,
  CANARY,
  canaryAborted,
  canaryPaused,
  STABLE,
  treeOf,
  twoRevisionTree,
} from './fixtures.ts';
import { rolesForHash, revisions, templateImages } from './revisions.ts';
import type { Rollout } from './rollout.ts';

function promoted(): Rollout {
  const rollout = canaryPaused();
  rollout.status!.stableRS = CANARY;
  return rollout;
}

test.each([
  { name: 'canary: stable hash', rollout: canaryPaused(), hash: STABLE, want: ['stable'] },
  { name: 'canary: current hash is the canary', rollout: canaryPaused(), hash: CANARY, want: ['canary'] },
  {
    name: 'canary: fully promoted current is only stable',
    rollout: promoted(),
    hash: CANARY,
    want: ['stable'],
  },
  { name: 'canary: an old hash has no role', rollout: canaryPaused(), hash: 'old5d6f48', want: [] },
  {
    name: 'blue-green: stable is active',
    rollout: blueGreenPreview(),
    hash: STABLE,
    want: ['stable', 'active'],
  },
  { name: 'blue-green: new is preview', rollout: blueGreenPreview(), hash: CANARY, want: ['preview'] },
  { name: 'no hash', rollout: canaryPaused(), hash: undefined, want: [] },
  {
    name: 'empty hash never matches an empty status field',
    rollout: { status: { stableRS: '' } },
    hash: '',
    want: [],
  },
])('rolesForHash: $name', ({ rollout, hash, want }) => {
  expect(rolesForHash(rollout, hash)).toEqual(want);
});

test('revisions are newest first, with ReplicaSet, role, images and pod readiness from the tree', () => {
  const tree = treeOf('web', [
    { hash: STABLE, revision: 1, image: 'nginx:1.25', pods: [true, true] },
    { hash: CANARY, revision: 2, image: 'nginx:1.26', pods: [true, false] },
  ]);
  const got = revisions(canaryPaused(), tree);
  expect(got.map((r) => [r.revision, r.replicaSet, r.roles, r.images, r.readyPods, r.pods.length])).toEqual([
    [2, `web-${CANARY}`, ['canary'], ['nginx:1.26'], 1, 2],
    [1, `web-${STABLE}`, ['stable'], ['nginx:1.25'], 2, 2],
  ]);
  expect(got[0]?.pods[1]).toMatchObject({ ready: false, containers: '0/1', status: 'ContainerCreating' });
});

test('revision order is numeric, not textual', () => {
  const tree = treeOf('web', [
    { hash: 'h9', revision: 9, image: 'a', pods: [] },
    { hash: 'h10', revision: 10, image: 'b', pods: [] },
  ]);
  expect(revisions(canaryPaused(), tree).map((r) => r.revision)).toEqual([10, 9]);
});

test('a ReplicaSet without pods gets its role only when its name is <rollout>-<a hash the status names>', () => {
  const tree = treeOf('web', [
    { hash: STABLE, revision: 1, image: 'nginx:1.25', pods: [] },
    { hash: 'oldhash', revision: 0, image: 'nginx:1.24', pods: [] },
  ]);
  const got = revisions(canaryPaused(), tree);
  expect(got.map((r) => [r.replicaSet, r.hash, r.roles])).toEqual([
    [`web-${STABLE}`, STABLE, ['stable']],
    ['web-oldhash', undefined, []],
  ]);
});

test('the pod label wins over the name', () => {
  const tree = treeOf('web', [{ hash: STABLE, revision: 1, image: 'x', pods: [true] }]);
  const pod = tree.nodes!.find((n) => n.kind === 'Pod')!;
  pod.networkingInfo = { labels: { 'rollouts-pod-template-hash': CANARY } };
  expect(revisions(canaryPaused(), tree)[0]?.roles).toEqual(['canary']);
});

test('ReplicaSets of another Rollout or namespace are not revisions of this one', () => {
  const tree: ApplicationTree = {
    nodes: [
      ...treeOf('other', [{ hash: STABLE, revision: 1, image: 'x', pods: [true] }]).nodes!,
      ...treeOf('web', [{ hash: STABLE, revision: 1, image: 'x', pods: [true] }], 'elsewhere').nodes!,
    ],
  };
  expect(revisions(canaryPaused(), tree)).toEqual([]);
});

test('works for a workloadRef Rollout: nothing is read from spec.template', () => {
  const rollout = canaryPaused();
  delete rollout.spec!.template;
  expect(revisions(rollout, twoRevisionTree()).map((r) => r.roles)).toEqual([['canary'], ['stable']]);
});

test.each([
  { name: 'no tree', tree: undefined },
  { name: 'nodes not a list', tree: { nodes: 'x' } },
  {
    name: 'null nodes and junk entries',
    tree: { nodes: [null, 3, 'pod', { kind: 'ReplicaSet', parentRefs: 'x' }] },
  },
  {
    name: 'info and images of the wrong type',
    tree: {
      nodes: [
        {
          kind: 'ReplicaSet',
          name: 'web-a',
          namespace: 'shop',
          parentRefs: [{ kind: 'Rollout', name: 'web', namespace: 'shop' }],
          info: 'x',
          images: 7,
        },
      ],
    },
  },
])('malformed trees never throw: $name', ({ tree }) => {
  expect(() => revisions(canaryPaused(), tree as ApplicationTree)).not.toThrow();
});

test('a Rollout without a name has no revisions', () => {
  expect(revisions({ status: {} }, twoRevisionTree())).toEqual([]);
});

test("an aborted canary's ReplicaSet, scaled to 0, shows the spec template's images", () => {
  const rollout = canaryAborted();
  const tree = treeOf('web', [
    { hash: CANARY, revision: 2, image: 'unused', pods: [] },
    { hash: STABLE, revision: 1, image: 'nginx:1.25', pods: [true] },
    { hash: 'oldhash', revision: 0, image: 'nginx:1.24', pods: [] },
  ]);
  const got = revisions(rollout, tree);
  expect(got.map((r) => [r.replicaSet, r.roles, r.images])).toEqual([
    [`web-${CANARY}`, ['canary'], templateImages(rollout)],
    [`web-${STABLE}`, ['stable'], ['nginx:1.25']],
    // Not the current template: no image is claimed for it.
    ['web-oldhash', [], []],
  ]);
  expect(templateImages(rollout)).toEqual(['nginx:1.26']);
});

test.each([
  { name: 'no template', spec: {}, want: [] },
  { name: 'containers not a list', spec: { template: { spec: { containers: 'x' } } }, want: [] },
  {
    name: 'two containers, one without an image',
    spec: { template: { spec: { containers: [{ image: 'a:1' }, { name: 'b' }, { image: 'c:2' }] } } },
    want: ['a:1', 'c:2'],
  },
])('templateImages: $name', ({ spec, want }) => {
  expect(templateImages({ metadata: { name: 'web' }, spec } as unknown as Rollout)).toEqual(want);
});
