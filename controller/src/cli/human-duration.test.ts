import { humanDuration } from './human-duration.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test.each([
  { name: 'far negative is invalid', ms: -5 * S, want: '<invalid>' },
  { name: 'slight negative is 0s', ms: -1 * S, want: '0s' },
  { name: 'seconds up to two minutes', ms: 119 * S, want: '119s' },
  { name: 'minutes and seconds under ten minutes', ms: 3 * M + 20 * S, want: '3m20s' },
  { name: 'whole minutes drop the seconds', ms: 5 * M, want: '5m' },
  { name: 'minutes up to three hours', ms: 150 * M, want: '150m' },
  { name: 'hours and minutes under eight hours', ms: 3 * H + 59 * M, want: '3h59m' },
  { name: 'hours up to two days', ms: 30 * H, want: '30h' },
  { name: 'days and hours under eight days', ms: 2 * D + 5 * H, want: '2d5h' },
  { name: 'whole days', ms: 7 * D, want: '7d' },
  { name: 'days up to two years', ms: 400 * D, want: '400d' },
  { name: 'years and days', ms: 2 * 365 * D + 30 * D, want: '2y30d' },
  { name: 'years only past eight', ms: 9 * 365 * D, want: '9y' },
])('$name', ({ ms, want }) => {
  expect(humanDuration(ms)).toBe(want);
});
