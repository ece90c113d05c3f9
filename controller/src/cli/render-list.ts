// The text of `list rollouts`, as the plugin prints it: one row per Rollout with its strategy,
// client phase, step, set weight and replica counts; NAMESPACE first with -A.
import type { Rollout } from '@rollout-kit/api';
import { maxTrafficWeight } from '../canary/replicas.ts';
import { canarySteps, currentSetWeight } from '../canary/steps.ts';
import { clientPhase } from '../rollout/status.ts';
import { strategyOf } from './rollout-info.ts';
import { alignColumns } from './table.ts';

export interface ListRow {
  namespace: string;
  name: string;
  strategy: string;
  status: string;
  step: string;
  setWeight: string;
  ready: string;
  desired: number;
  upToDate: number;
  available: number;
}

export function listRow(rollout: Rollout): ListRow {
  const status = rollout.status ?? {};
  const strategy = strategyOf(rollout);
  const steps = canarySteps(rollout);
  const canary = strategy === 'Canary';
  return {
    namespace: rollout.metadata.namespace ?? '',
    name: rollout.metadata.name ?? '',
    strategy,
    status: clientPhase(rollout).phase,
    step:
      canary && steps.length > 0 && status.currentStepIndex !== undefined
        ? `${status.currentStepIndex}/${steps.length}`
        : '-',
    setWeight: canary ? String(currentSetWeight(rollout, maxTrafficWeight(rollout))) : '-',
    ready: `${status.readyReplicas ?? 0}/${status.replicas ?? 0}`,
    desired: rollout.spec.replicas ?? 1,
    upToDate: status.updatedReplicas ?? 0,
    available: status.availableReplicas ?? 0,
  };
}

// The plugin pads each value to about its header's width before aligning the columns
// (%-10s %-9s %-12s %-4s %-10s %-5s %-7d %-10d %-9d, namespace %-9s); we print the same bytes.
const MIN_WIDTHS = [10, 9, 12, 4, 10, 5, 7, 10, 9];
const NAMESPACE_WIDTH = 9;

export function renderList(rollouts: readonly Rollout[], options: { allNamespaces: boolean }): string {
  const head = [
    'NAME',
    'STRATEGY',
    'STATUS',
    'STEP',
    'SET-WEIGHT',
    'READY',
    'DESIRED',
    'UP-TO-DATE',
    'AVAILABLE',
  ];
  const rows = rollouts.map(listRow).map((r) => {
    const cells = [
      r.name,
      r.strategy,
      r.status,
      r.step,
      r.setWeight,
      r.ready,
      String(r.desired),
      String(r.upToDate),
      String(r.available),
    ].map((cell, i) => cell.padEnd(MIN_WIDTHS[i] ?? 0));
    return options.allNamespaces ? [r.namespace.padEnd(NAMESPACE_WIDTH), ...cells] : cells;
  });
  const header = options.allNamespaces ? ['NAMESPACE', ...head] : head;
  return alignColumns([header, ...rows], 2, true);
}
