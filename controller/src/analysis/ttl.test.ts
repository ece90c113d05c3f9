import type { AnalysisRun } from '@rollout-kit/api';
import { ttlDeleteAt } from './ttl.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const run = (
  phase: string,
  ttlStrategy: AnalysisRun['spec']['ttlStrategy'],
  completedAt: string | null = new Date(T0).toISOString(),
): AnalysisRun => ({
  metadata: {},
  spec: { metrics: [], ...(ttlStrategy ? { ttlStrategy } : {}) },
  status: { phase, ...(completedAt ? { completedAt } : {}) },
});

test.each([
  { name: 'no ttlStrategy', r: run('Successful', undefined), want: undefined },
  { name: 'still running', r: run('Running', { secondsAfterCompletion: 5 }), want: undefined },
  { name: 'no completedAt', r: run('Successful', { secondsAfterCompletion: 5 }, null), want: undefined },
  {
    name: 'completion applies to any outcome',
    r: run('Inconclusive', { secondsAfterCompletion: 5 }),
    want: T0 + 5_000,
  },
  {
    name: 'success wins for Successful',
    r: run('Successful', { secondsAfterCompletion: 5, secondsAfterSuccess: 1 }),
    want: T0 + 1_000,
  },
  {
    name: 'failure wins for Failed',
    r: run('Failed', { secondsAfterCompletion: 5, secondsAfterFailure: 2 }),
    want: T0 + 2_000,
  },
  { name: 'failure applies to Error', r: run('Error', { secondsAfterFailure: 0 }), want: T0 },
  { name: 'success does not apply to Failed', r: run('Failed', { secondsAfterSuccess: 1 }), want: undefined },
  {
    name: 'failure does not apply to Inconclusive',
    r: run('Inconclusive', { secondsAfterFailure: 1 }),
    want: undefined,
  },
])('ttlDeleteAt: $name', ({ r, want }) => {
  expect(ttlDeleteAt(r)).toBe(want);
});
