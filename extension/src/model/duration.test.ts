import { durationMs, formatDuration } from './duration.ts';

test.each([
  { name: 'integer means seconds', value: 30, want: 30_000 },
  { name: 'unit-less numeric string means seconds', value: '45', want: 45_000 },
  { name: 'seconds', value: '30s', want: 30_000 },
  { name: 'minutes', value: '5m', want: 300_000 },
  { name: 'hours and minutes', value: '1h30m', want: 5_400_000 },
  { name: 'fractional hours', value: '1.5h', want: 5_400_000 },
  { name: 'milliseconds', value: '250ms', want: 250 },
  { name: 'zero', value: 0, want: 0 },
  { name: 'negative number', value: -1, want: undefined },
  { name: 'garbage', value: 'soon', want: undefined },
  { name: 'unit without number', value: 'm', want: undefined },
  { name: 'trailing junk', value: '5m later', want: undefined },
  { name: 'empty string', value: '', want: undefined },
  { name: 'object', value: { seconds: 5 }, want: undefined },
])('durationMs: $name', ({ value, want }) => {
  expect(durationMs(value)).toBe(want);
});

test.each([
  { name: 'seconds', ms: 45_000, want: '45s' },
  { name: 'rounds up a partial second', ms: 1_001, want: '2s' },
  { name: 'minutes pad seconds', ms: 125_000, want: '2m 05s' },
  { name: 'hours pad minutes', ms: 3_720_000, want: '1h 02m' },
  { name: 'negative is zero', ms: -5_000, want: '0s' },
])('formatDuration: $name', ({ ms, want }) => {
  expect(formatDuration(ms)).toBe(want);
});
