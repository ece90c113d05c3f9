// Kubernetes resource.Quantity as Go's k8s.io/apimachinery v0.34 re-serialises it when it
// marshals a pod template: `2000m` becomes "2", `0.5` becomes "500m", `1024Mi` becomes "1Gi",
// while strings already in canonical form are kept verbatim (Go caches them, so even `+1` stays).
// The pod-template hash depends on this text.

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));
const MAX_INT64 = (1n << 63n) - 1n;

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export class QuantityError extends Error {}

/** value = mantissa × 10^exponent, exactly. */
interface Decimal {
  mantissa: bigint;
  exponent: number;
}

interface Parsed {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

function parseParts(str: string): Parsed {
  const m = /^([+-]?)0*([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(str);
  if (!m) throw new QuantityError(`quantities must match the regular expression: ${JSON.stringify(str)}`);
  const [, sign = '', num = '', denom = '', suffix = ''] = m;
  return { positive: sign !== '-', num: num === '' ? '0' : num, denom, suffix };
}

function interpret(suffix: string): { base: 10 | 2; exponent: number; format: Format } {
  const dec = DECIMAL_SUFFIXES[suffix];
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES[suffix];
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (/^[eE][+-]?[0-9]+$/.test(suffix)) {
    return { base: 10, exponent: Number(suffix.slice(1)), format: 'DecimalExponent' };
  }
  throw new QuantityError(`unable to parse quantity's suffix ${JSON.stringify(suffix)}`);
}

/** Divides out every factor of `base`; returns what is left and how many times it divided. */
function removeFactors(value: bigint, base: bigint): { rest: bigint; times: number } {
  let rest = value < 0n ? -value : value;
  let times = 0;
  while (rest >= base && rest % base === 0n) {
    rest /= base;
    times++;
  }
  return { rest: value < 0n ? -rest : rest, times };
}

function canonicalDecimal(d: Decimal, format: Format): string {
  const { rest, times } = removeFactors(d.mantissa, 10n);
  let mantissa = rest;
  let exponent = d.exponent + times;
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  // Go drops the suffix it cannot build (exponents past E); we match it.
  return `${mantissa}${DECIMAL_BY_EXPONENT.get(exponent) ?? ''}`;
}

function canonical(d: Decimal, format: Format): string {
  if (d.mantissa === 0n) return '0';
  let f = format;
  if (f === 'BinarySI') {
    const integer = d.exponent >= 0 || d.mantissa % 10n ** BigInt(-d.exponent) === 0n;
    const value =
      d.exponent >= 0 ? d.mantissa * 10n ** BigInt(d.exponent) : d.mantissa / 10n ** BigInt(-d.exponent);
    if (!integer || (value > -1024n && value < 1024n)) f = 'DecimalSI';
    else {
      const { rest, times } = removeFactors(value, 1024n);
      return `${rest}${BINARY_BY_EXPONENT.get(times * 10) ?? ''}`;
    }
  }
  return canonicalDecimal(d, f);
}

/** Rounds a non-zero value away from zero to a whole number of nano units, as Go does. */
function roundUpToNano(d: Decimal): Decimal {
  if (d.exponent >= -9) return d;
  const divisor = 10n ** BigInt(-9 - d.exponent);
  const abs = d.mantissa < 0n ? -d.mantissa : d.mantissa;
  const rounded = (abs + divisor - 1n) / divisor;
  return { mantissa: d.mantissa < 0n ? -rounded : rounded, exponent: -9 };
}

/**
 * The string Go writes for a quantity read from `value` (a JSON string or number), e.g.
 * canonicalQuantity('1536Mi') === '1536Mi', canonicalQuantity('2000m') === '2',
 * canonicalQuantity(0.5) === '500m'. Throws QuantityError where Go's decoding fails.
 */
export function canonicalQuantity(value: string | number): string {
  const str = (typeof value === 'number' ? String(value) : value).trim();
  if (str === '') throw new QuantityError('quantities must match the regular expression');
  if (str === '0') return '0';
  const { positive, num, denom, suffix } = parseParts(str);
  const { base, exponent, format } = interpret(suffix);
  const sign = positive ? 1n : -1n;

  // Go's fast path: small exact values keep the input string when it is already canonical.
  let precision = -1;
  if (base === 10) precision = 18 - (num.length + denom.length);
  else if (denom.length === 0) precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
  const scale = (base === 10 ? exponent : 0) - denom.length;
  if (precision >= 0 && scale >= -9) {
    const shifted = num + denom;
    const v = BigInt(shifted);
    const result = v * (base === 2 ? 1n << BigInt(exponent) : 1n);
    if (result <= MAX_INT64) {
      const cached =
        base === 2
          ? exponent % 10 === 0 && (v & 7n) !== 0n
          : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
      if (cached) return str;
      return canonical({ mantissa: sign * result, exponent: scale }, format);
    }
  }

  // Slow path: exact decimal arithmetic, rounded up to nano units, capped for binary.
  let d: Decimal = { mantissa: BigInt(num + denom), exponent: -denom.length };
  if (base === 10) d.exponent += exponent;
  else d.mantissa *= 1n << BigInt(exponent);
  d = roundUpToNano(d);
  let f = format;
  if (f === 'BinarySI') {
    const capped =
      d.exponent >= 0
        ? d.mantissa * 10n ** BigInt(d.exponent) > MAX_INT64
        : d.mantissa > MAX_INT64 * 10n ** BigInt(-d.exponent);
    if (capped) d = { mantissa: MAX_INT64, exponent: 0 };
    const belowOne = d.exponent < 0 && d.mantissa < 10n ** BigInt(-d.exponent);
    if (belowOne && d.mantissa > 0n) f = 'DecimalSI';
  }
  return canonical({ mantissa: sign * d.mantissa, exponent: d.exponent }, f);
}
