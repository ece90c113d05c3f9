import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  fnv1a32,
  goJsonPodTemplate,
  podTemplateDecodeError,
  podTemplateHash,
  safeEncode,
} from './pod-hash.ts';

interface Vector {
  name: string;
  template: Record<string, unknown>;
  collisionCount?: number;
  goJson: string;
  fnv: number;
  hash: string;
  /** Go reported a decoding error for it. */
  malformed?: boolean;
}

// Produced by Go itself (see "generatedBy" in the file): the JSON, FNV sum and hash that the real
// k8s.io/api v0.34 structs and Argo Rollouts' algorithm give for each template.
const { vectors } = JSON.parse(readFileSync(join(import.meta.dirname, 'pod-hash.vectors.json'), 'utf8')) as {
  vectors: Vector[];
};

describe('safeEncode', () => {
  // ALPHABET = "bcdfghjklmnpqrstvwxz2456789" (27 letters); a character c maps to
  // ALPHABET[code(c) mod 27]. '0' is 48, 48 mod 27 = 21 → '4'; '6' is 54, 54 mod 27 = 0 → 'b'.
  test.each([
    { name: 'each decimal digit', input: '0123456789', want: '456789bcdf' },
    { name: 'the empty string', input: '', want: '' },
    { name: 'FNV-1a("a") = 3826002220', input: '3826002220', want: '7d6b446664' },
  ])('$name', ({ input, want }) => {
    expect(safeEncode(input)).toBe(want);
  });
});

describe('fnv1a32', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  // FNV-1a by hand for "a" (0x61): h = 0x811c9dc5 ^ 0x61 = 0x811c9da4; then h × 0x01000193 mod 2^32
  // = (0x811c9da4 << 24) + 0x811c9da4 × 0x193 = 0xa4000000 + (2166136228 × 403 mod 2^32 =
  // 1074538796 = 0x400c292c) = 0xe40c292c. "" leaves the offset basis; "foobar" is a published vector.
  test.each([
    { name: 'no bytes is the offset basis', input: '', want: 0x811c9dc5 },
    { name: 'one byte, derived by hand above', input: 'a', want: 0xe40c292c },
    { name: 'the published "foobar" vector', input: 'foobar', want: 0xbf9cf968 },
  ])('$name', ({ input, want }) => {
    expect(fnv1a32(bytes(input))).toBe(want);
  });

  test('a seed continues an earlier hash', () => {
    expect(fnv1a32(bytes('bar'), fnv1a32(bytes('foo')))).toBe(fnv1a32(bytes('foobar')));
  });
});

describe('goJsonPodTemplate', () => {
  // The reference example by hand: PodTemplateSpec is {ObjectMeta `metadata`, PodSpec `spec`},
  // both non-pointer structs, so both are always written. In ObjectMeta every field is omitempty
  // and creationTimestamp is omitzero (k8s 0.34), so only labels remain. In PodSpec `containers`
  // is the only field without omitempty that is set; in Container `name` has no omitempty,
  // `image` is set, and `resources` is a non-pointer struct, so it is written as {} even unset.
  test('the reference example, derived by hand', () => {
    const template = {
      metadata: { labels: { app: 'demo' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
    };
    expect(goJsonPodTemplate(template)).toBe(
      '{"metadata":{"labels":{"app":"demo"}},"spec":{"containers":[{"name":"web","image":"nginx:1.25","resources":{}}]}}',
    );
  });

  test.each(vectors)('$name: same bytes as Go', ({ template, goJson }) => {
    expect(goJsonPodTemplate(template)).toBe(goJson);
  });
});

describe('podTemplateHash', () => {
  test.each(vectors)('$name: $hash', ({ template, collisionCount, fnv, hash }) => {
    // The FNV sum itself, with the collision bytes built here independently of podTemplateHash:
    // uint32 little-endian count, then four zero bytes.
    let sum = fnv1a32(new TextEncoder().encode(goJsonPodTemplate(template)));
    if (collisionCount !== undefined) {
      const c = collisionCount;
      sum = fnv1a32(Uint8Array.of(c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, c >>> 24, 0, 0, 0, 0), sum);
    }
    expect(sum).toBe(fnv);
    expect(podTemplateHash(template, collisionCount)).toBe(hash);
  });

  test('the reference vectors of objects-and-labels.md', () => {
    const template = {
      metadata: { labels: { app: 'demo' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
    };
    expect(podTemplateHash(template)).toBe('5f6989b587');
    expect(podTemplateHash(template, 1)).toBe('d46d89f46');
  });

  test.each(vectors)('$name: malformed is reported ($malformed)', ({ template, malformed }) => {
    expect(podTemplateDecodeError(template) !== undefined).toBe(malformed === true);
  });

  test('a malformed template is reported and still hashed', () => {
    const template = { spec: { containers: [{ name: 'c', resources: { limits: { memory: 'invalid' } } }] } };
    expect(podTemplateDecodeError(template)).toMatch(/quantit/);
    expect(podTemplateDecodeError({ spec: { containers: [{ name: 'c' }] } })).toBeUndefined();
    expect(podTemplateHash(template)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });
});
