import { analysisGate, gateAbortReason, gatePassed } from './analysis-gate.ts';

test.each([
  { name: 'not configured', configured: false, run: undefined, want: { outcome: 'none' } },
  { name: 'configured, no run yet', configured: true, run: undefined, want: { outcome: 'pending' } },
  { name: 'running', configured: true, run: { name: 'r', status: 'Running' }, want: { outcome: 'pending' } },
  {
    name: 'successful',
    configured: true,
    run: { name: 'r', status: 'Successful' },
    want: { outcome: 'successful' },
  },
  {
    name: 'error counts as failed',
    configured: true,
    run: { name: 'r', status: 'Error', message: 'boom' },
    want: { outcome: 'failed', message: 'boom' },
  },
  {
    name: 'inconclusive',
    configured: true,
    run: { name: 'r', status: 'Inconclusive' },
    want: { outcome: 'inconclusive' },
  },
])('$name', ({ configured, run, want }) => {
  expect(analysisGate(configured, run)).toEqual(want);
});

test('only none and successful let the sequence go on', () => {
  expect(
    ['none', 'pending', 'successful', 'failed', 'inconclusive'].filter((o) =>
      gatePassed({ outcome: o as never }),
    ),
  ).toEqual(['none', 'successful']);
});

test('abort reasons are upstream texts', () => {
  expect(gateAbortReason('pre', { outcome: 'failed', message: 'Metric "m" assessed Failed' })).toBe(
    'Blue/green pre-promotion analysis phase error/failed: Metric "m" assessed Failed',
  );
  expect(gateAbortReason('post', { outcome: 'failed' })).toBe(
    'Blue/green post-promotion analysis phase error/failed',
  );
});
