import type { Experiment } from '@rollout-kit/api';
import { experimentSpecProblem, withInvalidSpec } from './experiment-spec.ts';

type Template = Experiment['spec']['templates'][number];
const template = (name: string, extra: Partial<Template> = {}): Template => ({
  name,
  selector: { matchLabels: { app: name } },
  template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
  ...extra,
});
const experiment = (templates: Template[], progressDeadlineSeconds?: number): Experiment => ({
  metadata: { name: 'exp' },
  spec: { templates, ...(progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds } : {}) },
});

test.each([
  { name: 'valid', templates: [template('a'), template('b')], want: undefined },
  {
    name: 'no selector',
    templates: [template('a'), { ...template('b'), selector: undefined } as unknown as Template],
    want: "Rollout has missing field '.Spec.Templates[1].Selector'",
  },
  {
    name: 'empty selector',
    templates: [template('a', { selector: {} })],
    want: 'This experiment is selecting all pods at index 0. A non-empty selector is required.',
  },
  {
    name: 'minReadySeconds past the default deadline',
    templates: [template('a', { minReadySeconds: 601 })],
    want: 'MinReadySeconds cannot be longer than ProgressDeadlineSeconds. Check template index 0',
  },
  {
    name: 'minReadySeconds at the deadline',
    templates: [template('a', { minReadySeconds: 600 })],
    want: undefined,
  },
  {
    name: 'empty name',
    templates: [template('')],
    want: 'Experiment exp has empty template name at index 0',
  },
  {
    name: 'repeated name',
    templates: [template('a'), template('b'), template('a')],
    want: "Experiment exp has repeated template name 'a' in templates",
  },
  {
    name: 'the first problem wins',
    templates: [template('a', { selector: {} }), template('a')],
    want: 'This experiment is selecting all pods at index 0. A non-empty selector is required.',
  },
])('$name', ({ templates, want }) => {
  expect(experimentSpecProblem(experiment(templates))).toBe(want);
});

test('a progressDeadlineSeconds of its own is the limit for minReadySeconds', () => {
  expect(experimentSpecProblem(experiment([template('a', { minReadySeconds: 30 })], 20))).toBe(
    'MinReadySeconds cannot be longer than ProgressDeadlineSeconds. Check template index 0',
  );
});

test('withInvalidSpec adds, keeps as it is and removes the condition', () => {
  const progressing = {
    type: 'Progressing',
    status: 'True' as const,
    reason: 'ReplicaSetUpdated',
    message: 'm',
    lastUpdateTime: 't0',
    lastTransitionTime: 't0',
  };
  const added = withInvalidSpec({ phase: 'Pending', conditions: [progressing] }, 'bad', 't1');
  expect(added.conditions).toEqual([
    progressing,
    {
      type: 'InvalidSpec',
      status: 'True',
      reason: 'InvalidSpec',
      message: 'bad',
      lastUpdateTime: 't1',
      lastTransitionTime: 't1',
    },
  ]);
  const kept = withInvalidSpec(added, 'bad', 't2');
  expect(kept).toEqual(added);
  const changed = withInvalidSpec(kept, 'worse', 't3');
  expect(changed.conditions?.[1]).toMatchObject({ message: 'worse', lastTransitionTime: 't3' });
  expect(withInvalidSpec(changed, undefined, 't4').conditions).toEqual([progressing]);
  expect(withInvalidSpec({ phase: 'Running' }, undefined, 't4')).toEqual({ phase: 'Running' });
});
