import { tarStreamCap } from './unpack.ts';

test.each([
  {
    name: 'content, plus 1 KiB per entry, plus 1 MiB',
    limits: { maxBytes: 1000, maxEntries: 10 },
    want: 1000 + 10_240 + 1_048_576,
  },
  { name: 'the defaults', limits: { maxBytes: 256 * 1024 * 1024, maxEntries: 10_000 }, want: 279_724_032 },
])('tarStreamCap: $name', ({ limits, want }) => {
  expect(tarStreamCap(limits)).toBe(want);
});
