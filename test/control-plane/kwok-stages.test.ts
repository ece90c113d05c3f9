// KWOK picks at random among matching stages, so each pod state must match at most one stage.
// This evaluates our selectors with a small matcher that knows exactly the key forms we use.
import { parseAllDocuments } from 'yaml';
import { JOB_RESULT_LABEL, READINESS_LABEL, kwokStages, renderStages } from './kwok-stages.ts';

type Obj = Record<string, unknown>;

function values(obj: Obj, key: string): unknown[] {
  const labelKey = /^\.metadata\.(labels|annotations)\["(.+)"\]$/.exec(key);
  const meta = (obj.metadata ?? {}) as Obj;
  if (labelKey) {
    const map = (meta[labelKey[1]!] ?? {}) as Obj;
    return labelKey[2]! in map ? [map[labelKey[2]!]] : [];
  }
  if (key === '.status.phase')
    return obj.status && (obj.status as Obj).phase ? [(obj.status as Obj).phase] : [];
  if (key === '.metadata.deletionTimestamp') return meta.deletionTimestamp ? [meta.deletionTimestamp] : [];
  if (key === '.metadata.ownerReferences.[].kind')
    return ((meta.ownerReferences ?? []) as Obj[]).map((o) => o.kind);
  throw new Error(`matcher does not know key ${key}`);
}

function matches(obj: Obj, exprs: { key: string; operator: string; values?: string[] }[]): boolean {
  return exprs.every(({ key, operator, values: wanted = [] }) => {
    const got = values(obj, key);
    switch (operator) {
      case 'Exists':
        return got.length > 0;
      case 'DoesNotExist':
        return got.length === 0;
      case 'In':
        return got.some((v) => wanted.includes(String(v)));
      case 'NotIn':
        return !got.some((v) => wanted.includes(String(v)));
      default:
        throw new Error(operator);
    }
  });
}

const pod = (phase: string, labels: Obj = {}, extra: Obj = {}): Obj => ({
  metadata: { labels, ...extra },
  status: { phase },
});
const jobOwner = { ownerReferences: [{ kind: 'Job' }] };

test.each([
  { name: 'a plain pending pod becomes ready', obj: pod('Pending'), want: ['rk-pod-ready'] },
  {
    name: 'a pending job pod first becomes ready',
    obj: pod('Pending', {}, jobOwner),
    want: ['rk-pod-ready'],
  },
  {
    name: 'readiness=fail never becomes ready',
    obj: pod('Pending', { [READINESS_LABEL]: 'fail' }),
    want: ['rk-pod-never-ready'],
  },
  {
    name: 'readiness=delayed waits',
    obj: pod('Pending', { [READINESS_LABEL]: 'delayed' }),
    want: ['rk-pod-ready-delayed'],
  },
  {
    name: 'an unknown readiness value matches nothing',
    obj: pod('Pending', { [READINESS_LABEL]: 'typo' }),
    want: [],
  },
  { name: 'a running job pod succeeds', obj: pod('Running', {}, jobOwner), want: ['rk-job-pod-succeeded'] },
  {
    name: 'a running job pod marked to fail fails',
    obj: pod('Running', { [JOB_RESULT_LABEL]: 'fail' }, jobOwner),
    want: ['rk-job-pod-failed'],
  },
  {
    name: 'a running pod of a ReplicaSet stays as it is',
    obj: pod('Running', {}, { ownerReferences: [{ kind: 'ReplicaSet' }] }),
    want: [],
  },
  {
    name: 'a deleted pod is removed',
    obj: pod('Running', {}, { deletionTimestamp: 'now', ...jobOwner }),
    want: ['rk-pod-delete'],
  },
])('$name', ({ obj, want }) => {
  const podStages = kwokStages('v1.36.3').filter((s) => s.spec.resourceRef.kind === 'Pod');
  expect(
    podStages.filter((s) => matches(obj, s.spec.selector.matchExpressions)).map((s) => s.metadata.name),
  ).toEqual(want);
});

test('the stage file is valid YAML, one document per stage, with unique names', () => {
  const stages = kwokStages('v1.36.3');
  const docs = parseAllDocuments(renderStages(stages));
  expect(docs.map((d) => d.errors)).toEqual(stages.map(() => []));
  const names = docs.map((d) => (d.toJS() as { metadata: { name: string } }).metadata.name);
  expect(new Set(names).size).toBe(stages.length);
  expect(renderStages(stages)).toContain('kubeletVersion: v1.36.3');
});
