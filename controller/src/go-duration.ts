// Go's duration syntax (time.ParseDuration), which every duration field and flag of the
// upstream API uses: pause steps, metric intervals, leader-election flags.

const NANOS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 micro sign
  μs: 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * Go's time.ParseDuration, in nanoseconds: "300ms", "-1.5h", "2h45m"; "0" alone needs no unit.
 * Undefined where Go returns an error (missing unit, unknown unit, empty).
 */
export function parseGoDuration(s: string): number | undefined {
  const m = /^([-+]?)(.*)$/.exec(s);
  let rest = m?.[2] ?? '';
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  while (rest !== '') {
    const part = /^([0-9]*(?:\.[0-9]*)?)([^0-9.]+)/.exec(rest);
    if (!part) return undefined;
    const [whole, number = '', unit = ''] = part;
    const scale = NANOS[unit];
    if (number === '' || number === '.' || scale === undefined) return undefined;
    total += Number(number) * scale;
    rest = rest.slice(whole.length);
  }
  return m?.[1] === '-' ? -total : total;
}
