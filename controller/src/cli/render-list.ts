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
// (%-10s %-9s %-12s %-4s %-10s %-5s %-7d %-10d %-9d, namespace %-9s, timestamp %-20s); we print
// the same bytes.
const MIN_WIDTHS = [10, 9, 12, 4, 10, 5, 7, 10, 9];
const NAMESPACE_WIDTH = 9;
const TIMESTAMP_WIDTH = 20;
const HEAD = [
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

export interface ListOptions {
  allNamespaces: boolean;
  /** `--timestamps`: the time of printing, first column (UTC, whole seconds). */
  timestamp?: string;
  /** Print the header line (not for the rows a watch prints later). */
  header?: boolean;
}

function cells(r: ListRow, options: ListOptions): string[] {
  const base = [
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
  const withNamespace = options.allNamespaces ? [r.namespace.padEnd(NAMESPACE_WIDTH), ...base] : base;
  return options.timestamp !== undefined
    ? [options.timestamp.padEnd(TIMESTAMP_WIDTH), ...withNamespace]
    : withNamespace;
}

/** The table of rows, aligned together as one flush of the plugin's tabwriter. */
export function renderRows(rows: readonly ListRow[], options: ListOptions): string {
  const head = [
    ...(options.timestamp !== undefined ? ['TIMESTAMP'] : []),
    ...(options.allNamespaces ? ['NAMESPACE'] : []),
    ...HEAD,
  ];
  const lines = rows.map((r) => cells(r, options));
  return alignColumns(options.header === false ? lines : [head, ...lines], 2, true);
}

export function renderList(rollouts: readonly Rollout[], options: ListOptions): string {
  return renderRows(rollouts.map(listRow), options);
}

/** `--timestamps` text: UTC, truncated to the second, as the plugin prints it. */
export function listTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const rowKey = (r: ListRow) => `${r.namespace}/${r.name}`;
const rowText = (r: ListRow) => JSON.stringify(r);

/**
 * What a watch prints next: the rows that are new or differ from the last printed for the same
 * Rollout (a Rollout that disappears prints nothing, as in the plugin), and the memory to pass on.
 */
export function changedRows(
  printed: ReadonlyMap<string, string>,
  rows: readonly ListRow[],
): { rows: ListRow[]; printed: Map<string, string> } {
  const next = new Map(printed);
  const changed = rows.filter((r) => {
    const text = rowText(r);
    if (next.get(rowKey(r)) === text) return false;
    next.set(rowKey(r), text);
    return true;
  });
  return { rows: changed, printed: next };
}

export function printedRows(rows: readonly ListRow[]): Map<string, string> {
  return new Map(rows.map((r) => [rowKey(r), rowText(r)]));
}
