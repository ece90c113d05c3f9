// The text of `get rollout`: the header (17-character labels) and the tree table, as the official
// plugin prints them, plus (ours) one line per AnalysisRun metric with its value and the message
// that decided it.
import { humanDuration } from './human-duration.ts';
import { colorize, TREE_ICON } from './icons.ts';
import type { AnalysisRunInfo, ExperimentInfo, ReplicaSetInfo, RolloutInfo } from './rollout-info.ts';
import { revisions } from './rollout-info.ts';
import { alignColumns } from './table.ts';

export interface RenderOptions {
  color: boolean;
  /** Milliseconds since the epoch, for the AGE column. */
  now: number;
  /** Show each AnalysisRun's metrics under it (not in the official plugin). */
  metrics?: boolean;
}

const line = (label: string, value: string | number) => `${label.padEnd(17)}${value}`.trimEnd() + '\n';

export function renderHeader(info: RolloutInfo, color: boolean): string {
  let out = line('Name:', info.name) + line('Namespace:', info.namespace);
  out += line('Status:', `${colorize(color, info.icon)} ${info.status}`);
  if (info.message) out += line('Message:', info.message);
  out += line('Strategy:', info.strategy);
  if (info.strategy === 'Canary') {
    out += line('  Step:', info.step) + line('  SetWeight:', info.setWeight);
    out += line('  ActualWeight:', info.actualWeight);
  }
  info.images.forEach((image, i) => {
    const tags = image.tags.map((t) => colorize(color, t)).join(', ');
    out += line(i === 0 ? 'Images:' : '', tags ? `${image.image} (${tags})` : image.image);
  });
  out += 'Replicas:\n';
  out += line('  Desired:', info.desired) + line('  Current:', info.current);
  out +=
    line('  Updated:', info.updated) + line('  Ready:', info.ready) + line('  Available:', info.available);
  return out;
}

function prefixes(isLast: boolean, sub: string): { prefix: string; sub: string } {
  return isLast ? { prefix: `${sub}└──`, sub: `${sub}   ` } : { prefix: `${sub}├──`, sub: `${sub}│  ` };
}

type Row = [string, string, string, string, string];

function ageOf(created: string | undefined, now: number): string {
  const at = Date.parse(created ?? '');
  return Number.isNaN(at) ? '' : humanDuration(now - at);
}

function replicaSetRows(rs: ReplicaSetInfo, prefix: string, sub: string, o: RenderOptions): Row[] {
  const roleTag = rs.roles.find((r) => r !== 'stable') ?? rs.roles[0];
  const name = roleTag ? colorize(o.color, rs.name, roleTag) : rs.name;
  const infoCols: string[] = rs.roles.map((r) => colorize(o.color, r));
  if (rs.delay !== undefined) infoCols.push(`delay:${rs.delay}`);
  const rows: Row[] = [
    [
      `${prefix}${TREE_ICON.replicaSet} ${name}`,
      'ReplicaSet',
      `${colorize(o.color, rs.icon)} ${rs.status}`,
      ageOf(rs.created, o.now),
      infoCols.join(','),
    ],
  ];
  rs.pods.forEach((pod, i) => {
    const { prefix: podPrefix } = prefixes(i === rs.pods.length - 1, sub);
    const podInfo = [`ready:${pod.ready}`, ...(pod.restarts > 0 ? [`restarts:${pod.restarts}`] : [])];
    rows.push([
      `${podPrefix}${TREE_ICON.pod} ${pod.name}`,
      'Pod',
      `${colorize(o.color, pod.icon)} ${pod.status}`,
      ageOf(pod.created, o.now),
      podInfo.join(','),
    ]);
  });
  return rows;
}

function analysisRunRows(run: AnalysisRunInfo, prefix: string, sub: string, o: RenderOptions): Row[] {
  const counts: string[] = [];
  const count = (icon: string, n: number) => n > 0 && counts.push(`${colorize(o.color, icon)} ${n}`);
  count('✔', run.successful);
  count('✖', run.failed);
  count('?', run.inconclusive);
  count('⚠', run.error);
  const rows: Row[] = [
    [
      `${prefix}${TREE_ICON.analysisRun} ${colorize(o.color, run.name, run.status)}`,
      'AnalysisRun',
      `${colorize(o.color, run.icon)} ${run.status}`,
      ageOf(run.created, o.now),
      counts.join(','),
    ],
  ];
  const children = [
    ...run.jobs.map((job) => ({ kind: 'job' as const, job })),
    ...(o.metrics ? run.metrics.map((metric) => ({ kind: 'metric' as const, metric })) : []),
  ];
  children.forEach((child, i) => {
    const { prefix: childPrefix } = prefixes(i === children.length - 1, sub);
    if (child.kind === 'job') {
      const { job } = child;
      rows.push([
        `${childPrefix}${TREE_ICON.job} ${colorize(o.color, job.name, job.status)}`,
        'Job',
        `${colorize(o.color, job.icon)} ${job.status}`,
        ageOf(job.created, o.now),
        '',
      ]);
    } else {
      const { metric } = child;
      const info = [
        ...(metric.value !== undefined ? [`value:${metric.value}`] : []),
        ...(metric.message ? [metric.message] : []),
      ];
      rows.push([`${childPrefix}· ${metric.name}`, 'Metric', metric.phase, '', info.join(' ')]);
    }
  });
  return rows;
}

function experimentRows(exp: ExperimentInfo, prefix: string, sub: string, o: RenderOptions): Row[] {
  const rows: Row[] = [
    [
      `${prefix}${TREE_ICON.experiment} ${colorize(o.color, exp.name, exp.status)}`,
      'Experiment',
      `${colorize(o.color, exp.icon)} ${exp.status}`,
      ageOf(exp.created, o.now),
      '',
    ],
  ];
  const children = [
    ...exp.replicaSets.map((rs) => ({ kind: 'rs' as const, rs })),
    ...exp.analysisRuns.map((run) => ({ kind: 'ar' as const, run })),
  ];
  children.forEach((child, i) => {
    const { prefix: childPrefix, sub: childSub } = prefixes(i === children.length - 1, sub);
    if (child.kind === 'rs') rows.push(...replicaSetRows(child.rs, childPrefix, childSub, o));
    else rows.push(...analysisRunRows(child.run, childPrefix, childSub, o));
  });
  return rows;
}

export function renderTree(info: RolloutInfo, o: RenderOptions): string {
  const rows: Row[] = [['NAME', 'KIND', 'STATUS', 'AGE', 'INFO']];
  rows.push([
    `${TREE_ICON.rollout} ${info.name}`,
    'Rollout',
    `${colorize(o.color, info.icon)} ${info.status}`,
    ageOf(info.created, o.now),
    '',
  ]);
  const revs = revisions(info);
  revs.forEach((revision, r) => {
    const { prefix, sub } = prefixes(r === revs.length - 1, '');
    rows.push([`${prefix}${TREE_ICON.revision} revision:${revision}`, '', ' ', '', '']);
    const children = [
      ...info.replicaSets.filter((x) => x.revision === revision).map((rs) => ({ kind: 'rs' as const, rs })),
      ...info.experiments
        .filter((x) => x.revision === revision)
        .map((exp) => ({ kind: 'exp' as const, exp })),
      ...info.analysisRuns
        .filter((x) => x.revision === revision)
        .map((run) => ({ kind: 'ar' as const, run })),
    ];
    children.forEach((child, i) => {
      const { prefix: childPrefix, sub: childSub } = prefixes(i === children.length - 1, sub);
      if (child.kind === 'rs') rows.push(...replicaSetRows(child.rs, childPrefix, childSub, o));
      else if (child.kind === 'ar') rows.push(...analysisRunRows(child.run, childPrefix, childSub, o));
      else rows.push(...experimentRows(child.exp, childPrefix, childSub, o));
    });
  });
  return alignColumns(rows);
}

/** The whole `get rollout` output: header, a blank line, the tree. */
export function renderRollout(info: RolloutInfo, o: RenderOptions): string {
  return `${renderHeader(info, o.color)}\n${renderTree(info, o)}`;
}
