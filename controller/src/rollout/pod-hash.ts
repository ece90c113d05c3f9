// The pod-template hash, computed exactly as Argo Rollouts v1.9 does (utils/hash): FNV-1a 32 over
// Go's encoding/json of the core/v1 PodTemplateSpec (k8s.io/api v0.34), plus the collision count,
// then the decimal digits mapped onto the "safe" alphabet. The same template must give the same
// hash as upstream, so existing clusters and the official kubectl plugin agree with us.
import type { PodTemplateSpec } from '@rollout-kit/api';
import { goDecode, goJson } from './go-json.ts';
import { POD_TEMPLATE_STRUCTS } from './pod-template-fields.ts';

/** k8s.io/apimachinery/pkg/util/rand: digits and vowels removed to avoid words. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps each character to SAFE_ALPHABET[charCode mod 27]; for digits 0→4 … 5→9, 6→b … 9→f. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** FNV-1a, 32 bits, as Go's hash/fnv New32a; `seed` continues an earlier hash. */
export function fnv1a32(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/**
 * The bytes Go's json.Marshal writes for a corev1.PodTemplateSpec decoded from `template`: Go
 * field order, unknown fields dropped, omitempty/omitzero applied, zero values written for the
 * other missing fields (a container always has "resources":{}), quantities canonical. A malformed
 * template is first cut where Go's decoder stops, as upstream's tolerant informer does.
 */
export function goJsonPodTemplate(template: PodTemplateSpec | Record<string, unknown>): string {
  return goJson(
    POD_TEMPLATE_STRUCTS,
    'PodTemplateSpec',
    goDecode(POD_TEMPLATE_STRUCTS, 'PodTemplateSpec', template).value,
  );
}

/** Why Go could not fully decode `template` (e.g. an invalid quantity), or undefined. */
export function podTemplateDecodeError(
  template: PodTemplateSpec | Record<string, unknown>,
): string | undefined {
  return goDecode(POD_TEMPLATE_STRUCTS, 'PodTemplateSpec', template).error;
}

/**
 * The `rollouts-pod-template-hash` of a template. `collisionCount` is status.collisionCount:
 * when set (even to 0) its 4 little-endian bytes and 4 zero bytes are hashed after the JSON.
 * Never throws: a malformed template hashes what upstream would decode of it.
 */
export function podTemplateHash(
  template: PodTemplateSpec | Record<string, unknown>,
  collisionCount?: number,
): string {
  let h = fnv1a32(new TextEncoder().encode(goJsonPodTemplate(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a32(bytes, h);
  }
  return safeEncode(String(h));
}
