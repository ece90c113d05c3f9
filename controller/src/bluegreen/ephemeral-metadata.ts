// Which ephemeral metadata each blue-green ReplicaSet carries (upstream reconcileEphemeralMetadata):
// fully rolled out (no stable yet, or the new RS is the stable one) ⇒ the new RS gets
// activeMetadata; mid-update ⇒ the new RS gets previewMetadata and the stable RS activeMetadata.
import type { Rollout } from '@rollout-kit/api';
import { ephemeralSync, type EphemeralSync, type PodMetadata } from '../rollout/ephemeral-metadata.ts';
import { hashOf, type ReplicaSet } from '../rollout/replica-set.ts';

export function blueGreenEphemeralSyncs(input: {
  rollout: Pick<Rollout, 'spec' | 'status'>;
  newRS?: ReplicaSet;
  stableRS?: ReplicaSet;
}): EphemeralSync[] {
  const bg = input.rollout.spec.strategy?.blueGreen;
  if (!bg || !input.newRS) return [];
  const stableHash = input.rollout.status?.stableRS;
  const fullyRolledOut = !stableHash || stableHash === hashOf(input.newRS);
  const wanted: [ReplicaSet | undefined, PodMetadata | undefined][] = fullyRolledOut
    ? [[input.newRS, bg.activeMetadata]]
    : [
        [input.newRS, bg.previewMetadata],
        [input.stableRS, bg.activeMetadata],
      ];
  return wanted
    .map(([rs, desired]) => (rs ? ephemeralSync(rs, desired) : undefined))
    .filter((s): s is EphemeralSync => s !== undefined);
}
