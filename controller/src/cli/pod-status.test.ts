import type { PodObject } from './objects.ts';
import { podStatus } from './pod-status.ts';

const pod = (status: PodObject['status'], extra: Partial<PodObject> = {}): PodObject => ({
  metadata: { name: 'p', ...extra.metadata },
  spec: { containers: [{ name: 'a' }, { name: 'b' }], ...extra.spec },
  status,
});
const running = { name: 'a', ready: true, state: { running: {} } };

test.each([
  {
    name: 'pending with no statuses',
    p: pod({ phase: 'Pending' }),
    want: { status: 'Pending', icon: '◌', ready: '0/2' },
  },
  {
    name: 'running and ready',
    p: pod({ phase: 'Running', containerStatuses: [running, { ...running, name: 'b', restartCount: 3 }] }),
    want: { status: 'Running', icon: '✔', ready: '2/2', restarts: 3 },
  },
  {
    name: 'a waiting container wins',
    p: pod({
      phase: 'Pending',
      containerStatuses: [running, { name: 'b', state: { waiting: { reason: 'ImagePullBackOff' } } }],
    }),
    want: { status: 'ImagePullBackOff', icon: '⚠', ready: '1/2' },
  },
  {
    name: 'a crash loop',
    p: pod({
      phase: 'Running',
      containerStatuses: [{ name: 'a', state: { waiting: { reason: 'CrashLoopBackOff' } } }],
    }),
    want: { status: 'CrashLoopBackOff', icon: '✖' },
  },
  {
    name: 'terminated without reason shows the exit code',
    p: pod({ phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2 } } }] }),
    want: { status: 'ExitCode:2', icon: '✖' },
  },
  {
    name: 'an init container still running',
    p: pod(
      { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { running: {} } }] },
      { spec: { initContainers: [{ name: 'i' }, { name: 'j' }] } },
    ),
    want: { status: 'Init:0/2', icon: '◌' },
  },
  {
    name: 'a failed init container',
    p: pod(
      {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'i', state: { terminated: { exitCode: 1, reason: 'Error' } } }],
      },
      { spec: { initContainers: [{ name: 'i' }] } },
    ),
    want: { status: 'Init:Error', icon: '◌' },
  },
  {
    name: 'being deleted',
    p: pod(
      { phase: 'Running', containerStatuses: [running] },
      { metadata: { name: 'p', deletionTimestamp: '2026-01-01T00:00:00Z' } },
    ),
    want: { status: 'Terminating', icon: '◌' },
  },
])('$name', ({ p, want }) => {
  expect(podStatus(p)).toMatchObject(want);
});
