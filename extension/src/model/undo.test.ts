import { CANARY, canaryPaused, STABLE, treeOf } from './fixtures.ts';
import { revisions } from './revisions.ts';
import type { Rollout } from './rollout.ts';
import { pendingUndo, undoChoices, UNDO_TO_REVISION } from './undo.ts';

function threeRevisions() {
  return treeOf('web', [
    { hash: 'aaa111', revision: 1, image: 'nginx:1.24', pods: [] },
    { hash: STABLE, revision: 2, image: 'nginx:1.25', pods: [true] },
    { hash: CANARY, revision: 3, image: 'nginx:1.26', pods: [true] },
  ]);
}

test.each([
  {
    name: 'every revision but the current one, newest first',
    rollout: canaryPaused(),
    want: [
      [2, `web-${STABLE}`],
      [1, 'web-aaa111'],
    ],
  },
  {
    name: 'without a current hash the newest revision still counts as current',
    rollout: { ...canaryPaused(), status: {} } as Rollout,
    want: [
      [2, `web-${STABLE}`],
      [1, 'web-aaa111'],
    ],
  },
])('undoChoices: $name', ({ rollout, want }) => {
  const choices = undoChoices(rollout, revisions(rollout, threeRevisions()));
  expect(choices.map((c) => [c.revision, c.replicaSet])).toEqual(want);
});

test('undoChoices: nothing to go back to with only the current revision, or no revision numbers', () => {
  const rollout = canaryPaused();
  const onlyCurrent = treeOf('web', [{ hash: CANARY, revision: 3, image: 'x', pods: [] }]);
  expect(undoChoices(rollout, revisions(rollout, onlyCurrent))).toEqual([]);
  expect(
    undoChoices(rollout, [{ replicaSet: 'web-x', roles: [], images: [], pods: [], readyPods: 0 }]),
  ).toEqual([]);
  // One revision whose hash cannot be told (no pods, a name the status does not give): still current.
  const unknownHash = treeOf('web', [{ hash: 'zzz999', revision: 1, image: 'x', pods: [] }]);
  expect(undoChoices({ ...rollout, status: {} } as Rollout, revisions(rollout, unknownHash))).toEqual([]);
});

test.each([
  { name: 'requested', annotations: { [UNDO_TO_REVISION]: '2' }, want: '2' },
  { name: 'empty value', annotations: { [UNDO_TO_REVISION]: '' }, want: undefined },
  { name: 'none', annotations: {}, want: undefined },
  { name: 'not a map', annotations: 'x', want: undefined },
])('pendingUndo: $name', ({ annotations, want }) => {
  const rollout = canaryPaused();
  rollout.metadata = { ...rollout.metadata, annotations: annotations as Record<string, string> };
  expect(pendingUndo(rollout)).toBe(want);
});
