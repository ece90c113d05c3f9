// SMI: one TrafficSplit (trafficSplitName, default the Rollout's name) whose root Service
// (rootService, default the stable Service) splits between the canary and stable Services. The
// controller creates it, owned by the Rollout, and afterwards only changes one it owns (upstream
// smi.go). API versions v1alpha1 (weights are quantities, written as strings like "20"),
// v1alpha2 and v1alpha3 (integers); v1alpha1 is upstream's default.
import type { Rollout } from '@rollout-kit/api';
import type { DesiredTraffic } from '../canary/traffic-weight.ts';
import {
  controlledBy,
  refKey,
  rolloutOwner,
  sameJson,
  type KubeObject,
  type ObjectRef,
  type RouterPlan,
  type TrafficRouter,
} from './router.ts';

export const SMI_API_VERSIONS = ['v1alpha1', 'v1alpha2', 'v1alpha3'] as const;
export type SmiApiVersion = (typeof SMI_API_VERSIONS)[number];
export const DEFAULT_SMI_API_VERSION: SmiApiVersion = 'v1alpha1';

interface TrafficSplitSpec {
  service: string;
  backends: { service: string; weight: number | string }[];
}
type TrafficSplit = KubeObject & { spec?: TrafficSplitSpec };

export function trafficSplitName(rollout: Rollout): string {
  return (
    rollout.spec.strategy?.canary?.trafficRouting?.smi?.trafficSplitName || (rollout.metadata.name ?? '')
  );
}

const splitRef = (rollout: Rollout, version: SmiApiVersion): ObjectRef => ({
  group: 'split.smi-spec.io',
  version,
  resource: 'trafficsplits',
  kind: 'TrafficSplit',
  namespace: rollout.metadata.namespace ?? '',
  name: trafficSplitName(rollout),
});

/** The split: canary first, then experiment destinations, then stable with what is left of 100. */
export function trafficSplitSpec(
  rollout: Rollout,
  desired: DesiredTraffic,
  version: SmiApiVersion,
): TrafficSplitSpec {
  const canary = rollout.spec.strategy?.canary;
  const weight = (w: number) => (version === 'v1alpha1' ? String(w) : w);
  const extra = desired.additional.reduce((sum, d) => sum + d.weight, 0);
  return {
    service: canary?.trafficRouting?.smi?.rootService || (canary?.stableService ?? ''),
    backends: [
      { service: canary?.canaryService ?? '', weight: weight(desired.weight) },
      ...desired.additional.map((d) => ({ service: d.serviceName ?? '', weight: weight(d.weight) })),
      { service: canary?.stableService ?? '', weight: weight(100 - desired.weight - extra) },
    ],
  };
}

/** Weights compared as numbers: the API server may hand a quantity back as "20" or 20. */
const normalized = (spec: TrafficSplitSpec | undefined) =>
  spec && { ...spec, backends: (spec.backends ?? []).map((b) => ({ ...b, weight: Number(b.weight) })) };

export function smiRouter(version: SmiApiVersion = DEFAULT_SMI_API_VERSION): TrafficRouter {
  return {
    type: 'SMI',
    configKey: 'smi',
    configured: (rollout) => rollout.spec.strategy?.canary?.trafficRouting?.smi !== undefined,
    refs: (rollout) => [splitRef(rollout, version)],
    plan(rollout, live, desired): RouterPlan {
      const ref = splitRef(rollout, version);
      const spec = trafficSplitSpec(rollout, desired, version);
      const current = live.get(refKey(ref)) as TrafficSplit | undefined;
      if (!current) {
        const body: TrafficSplit = {
          apiVersion: `split.smi-spec.io/${version}`,
          kind: 'TrafficSplit',
          metadata: { name: ref.name, namespace: ref.namespace, ownerReferences: [rolloutOwner(rollout)] },
          spec,
        };
        return {
          writes: [{ op: 'create', ref, body }],
          events: [
            {
              type: 'Normal',
              reason: 'TrafficSplitCreated',
              message: `TrafficSplit \`${ref.name}\` created`,
            },
          ],
        };
      }
      if (!controlledBy(current, rollout)) {
        return {
          writes: [],
          events: [],
          problem: { kind: 'error', message: `Rollout does not own TrafficSplit \`${ref.name}\`` },
        };
      }
      if (sameJson(normalized(current.spec), normalized(spec))) return { writes: [], events: [] };
      return {
        writes: [{ op: 'update', ref, body: { ...current, spec } }],
        events: [
          {
            type: 'Normal',
            reason: 'TrafficSplitModified',
            message: `TrafficSplit \`${ref.name}\` modified`,
          },
        ],
      };
    },
  };
}
