import { blueGreenPause, type PauseInput } from './pause.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const base: PauseInput = {
  autoPromotionEnabled: false,
  autoPromotionSeconds: 0,
  pauseConditions: undefined,
  controllerPause: false,
  halted: false,
  aborted: false,
  readyForPause: true,
  fastTracked: false,
  checkpoint: false,
  prePromotionPassed: true,
  now: NOW,
};
const cond = (secondsAgo: number) => [
  { reason: 'BlueGreenPause', startTime: new Date(NOW - secondsAgo * 1000).toISOString() },
];

test.each([
  { name: 'defaults: no pause at all', input: { autoPromotionEnabled: true }, want: { state: 'completed' } },
  { name: 'auto-promotion off, ready: pause added', input: {}, want: { state: 'paused', add: true } },
  { name: 'not ready yet: waiting, no pause', input: { readyForPause: false }, want: { state: 'waiting' } },
  {
    name: 'pre-promotion analysis not passed: the pause waits for it',
    input: { prePromotionPassed: false },
    want: { state: 'waiting' },
  },
  {
    name: 'paused: holds',
    input: { pauseConditions: cond(100), controllerPause: true },
    want: { state: 'paused' },
  },
  {
    name: 'user promoted: condition gone, controllerPause left',
    input: { controllerPause: true },
    want: { state: 'completed' },
  },
  { name: 'aborted: never paused', input: { aborted: true }, want: { state: 'waiting' } },
  { name: 'spec.paused: waiting', input: { halted: true }, want: { state: 'waiting' } },
  { name: 'fast-tracked: no pause', input: { fastTracked: true }, want: { state: 'completed' } },
  {
    name: 'fast-tracked with a stale pause: the pause is removed',
    input: { fastTracked: true, pauseConditions: cond(1), controllerPause: true },
    want: { state: 'completed', remove: true },
  },
  { name: 'checkpoint passed: no second pause', input: { checkpoint: true }, want: { state: 'completed' } },
  {
    name: 'autoPromotionSeconds: pause added, recheck when it ends',
    input: { autoPromotionEnabled: true, autoPromotionSeconds: 10 },
    want: { state: 'paused', add: true, recheckAt: NOW + 11_000 },
  },
  {
    name: 'autoPromotionSeconds not elapsed',
    input: { autoPromotionSeconds: 10, pauseConditions: cond(10), controllerPause: true },
    want: { state: 'paused', recheckAt: NOW + 1_000 },
  },
  {
    name: 'autoPromotionSeconds elapsed: removed',
    input: { autoPromotionSeconds: 10, pauseConditions: cond(11), controllerPause: true },
    want: { state: 'completed', remove: true },
  },
])('$name', ({ input, want }) => {
  expect(blueGreenPause({ ...base, ...input })).toEqual(want);
});
