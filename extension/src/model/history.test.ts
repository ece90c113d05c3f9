import { CANARY, canaryAborted, canaryPaused, STABLE, twoRevisionTree } from './fixtures.ts';
import { REVISION_HISTORY, rolloutHistory, type HistoryEntry } from './history.ts';
import { revisions } from './revisions.ts';
import type { Rollout } from './rollout.ts';

function brief(entries: HistoryEntry[]) {
  return entries.map((e) => [
    e.at === undefined ? '-' : new Date(e.at).toISOString(),
    e.kind,
    e.title,
    e.detail ?? '',
  ]);
}

test('aborted canary: the abort with its reason, the conditions, and when each revision was created', () => {
  const rollout = canaryAborted();
  rollout.status!.conditions = [
    {
      type: 'Progressing',
      status: 'False',
      reason: 'RolloutAborted',
      message: 'Rollout aborted update to revision 2: Step-based analysis phase error/failed',
      lastTransitionTime: '2026-11-23T10:00:00Z',
    },
    {
      type: 'Available',
      status: 'True',
      reason: 'AvailableReason',
      lastTransitionTime: '2026-11-22T09:01:00Z',
    },
  ];
  const entries = rolloutHistory({ rollout, revisions: revisions(rollout, twoRevisionTree()) });
  expect(brief(entries)).toEqual([
    [
      '2026-11-23T10:00:00.000Z',
      'aborted',
      'Revision 2 aborted',
      'Rollout aborted update to revision 2: Step-based analysis phase error/failed',
    ],
    ['2026-11-22T09:01:00.000Z', 'condition', 'Available True (AvailableReason)', ''],
    ['2026-11-22T09:00:00.000Z', 'created', 'Revision 2 created', ''],
    ['2026-11-21T09:00:00.000Z', 'created', 'Revision 1 created', ''],
  ]);
  expect(entries[0]).toMatchObject({ revision: 2, warning: true, source: 'status.abortedAt' });
});

test('paused canary: the pause condition with its start time', () => {
  const rollout = canaryPaused();
  const entries = rolloutHistory({ rollout, revisions: revisions(rollout, twoRevisionTree()) });
  expect(brief(entries)[0]).toEqual(['2026-11-23T10:00:00.000Z', 'paused', 'Paused: CanaryPauseStep', '']);
  expect(entries[0]?.revision).toBe(2);
});

test('fully promoted: the Completed condition dates the promotion of the stable revision', () => {
  const rollout = canaryPaused();
  rollout.status = {
    stableRS: CANARY,
    currentPodHash: CANARY,
    conditions: [
      {
        type: 'Completed',
        status: 'True',
        reason: 'RolloutCompleted',
        lastTransitionTime: '2026-11-23T11:00:00Z',
      },
    ],
  };
  const entries = rolloutHistory({ rollout, revisions: revisions(rollout, twoRevisionTree()) });
  expect(brief(entries)[0]).toEqual([
    '2026-11-23T11:00:00.000Z',
    'promoted',
    'Revision 2 fully promoted',
    '',
  ]);
  // The condition is not listed a second time.
  expect(entries.filter((e) => e.source.startsWith('condition Completed'))).toHaveLength(1);
});

test('a ReplicaSet reused by a rollback is named from its revision-history annotation', () => {
  const rollout = canaryPaused();
  const replicaSets = new Map([
    [`web-${STABLE}`, { metadata: { annotations: { [REVISION_HISTORY]: '1, 3,x' } } }],
  ]);
  const entries = rolloutHistory({ rollout, revisions: revisions(rollout, twoRevisionTree()), replicaSets });
  const rollback = entries.find((e) => e.kind === 'rolled-back');
  expect(rollback).toMatchObject({
    revision: 1,
    title: 'Revision 1: rolled back to the template of revisions 1, 3',
  });
  expect(rollback?.at).toBeUndefined();
  expect(entries[entries.length - 1]).toBe(rollback);
});

test('Events: kinds from reasons, counts, warnings, newest first with the status entries', () => {
  const rollout: Rollout = { metadata: { name: 'web' }, spec: {}, status: {} };
  const events = [
    {
      reason: 'RolloutCompleted',
      message: 'Rollout completed update to revision 3 (abc): Fast rollback',
      lastTimestamp: '2026-11-23T10:05:00Z',
    },
    {
      reason: 'RolloutAborted',
      type: 'Warning',
      message: 'Rollout aborted update to revision 2',
      eventTime: '2026-11-23T10:01:00Z',
    },
    {
      reason: 'RolloutPaused',
      count: 3,
      message: 'Rollout is paused (CanaryPauseStep)',
      firstTimestamp: '2026-11-23T10:00:00Z',
    },
    { reason: 'SomethingElse', message: '<script>x</script>' },
    { message: 'no reason: dropped' },
    'not an event',
  ];
  const entries = rolloutHistory({ rollout, revisions: [], events });
  expect(brief(entries)).toEqual([
    [
      '2026-11-23T10:05:00.000Z',
      'rolled-back',
      'RolloutCompleted',
      'Rollout completed update to revision 3 (abc): Fast rollback',
    ],
    ['2026-11-23T10:01:00.000Z', 'aborted', 'RolloutAborted', 'Rollout aborted update to revision 2'],
    ['2026-11-23T10:00:00.000Z', 'paused', 'RolloutPaused (3 times)', 'Rollout is paused (CanaryPauseStep)'],
    ['-', 'event', 'SomethingElse', '<script>x</script>'],
  ]);
  expect(entries[1]?.warning).toBe(true);
});

test.each([
  { name: 'no status', rollout: { metadata: { name: 'web' } } },
  {
    name: 'status of the wrong types',
    rollout: { status: { conditions: 'x', pauseConditions: [null, 3], abort: 'yes' } },
  },
  {
    name: 'conditions with bad times',
    rollout: { status: { conditions: [{ type: 'Paused', lastTransitionTime: 'soon' }] } },
  },
])('malformed input never throws: $name', ({ rollout }) => {
  const entries = rolloutHistory({ rollout: rollout as Rollout, revisions: [], events: [null, {}] });
  expect(entries.every((e) => typeof e.title === 'string')).toBe(true);
});

test('a manual pause and a restart are recorded', () => {
  const rollout: Rollout = { spec: { paused: true }, status: { restartedAt: '2026-11-23T09:00:00Z' } };
  expect(brief(rolloutHistory({ rollout, revisions: [] }))).toEqual([
    ['2026-11-23T09:00:00.000Z', 'restarted', 'Pods restarted', ''],
    ['-', 'paused', 'Paused by a user (spec.paused)', ''],
  ]);
});
