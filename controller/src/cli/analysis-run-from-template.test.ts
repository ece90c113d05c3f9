import { analysisRunFromTemplate, mergeArgs, type TemplateObject } from './analysis-run-from-template.ts';

const template: TemplateObject = {
  kind: 'AnalysisTemplate',
  metadata: { name: 'success-rate' },
  spec: {
    args: [{ name: 'service' }, { name: 'threshold', value: '0.95' }],
    metrics: [{ name: 'rate', provider: { web: { url: 'http://x/{{args.service}}' } } }],
    dryRun: [{ metricName: 'rate' }],
  },
};

test.each([
  {
    name: 'given values fill and override the declared args',
    given: ['service=web', 'threshold=0.9'],
    want: [
      { name: 'service', value: 'web' },
      { name: 'threshold', value: '0.9' },
    ],
  },
  {
    name: 'defaults stay',
    given: ['service=web'],
    want: [
      { name: 'service', value: 'web' },
      { name: 'threshold', value: '0.95' },
    ],
  },
  {
    name: 'a value may contain =',
    given: ['service=a=b'],
    want: [
      { name: 'service', value: 'a=b' },
      { name: 'threshold', value: '0.95' },
    ],
  },
])('mergeArgs: $name', ({ given, want }) => {
  expect(mergeArgs(template.spec?.args ?? [], given)).toEqual(want);
});

test.each([
  { name: 'an unresolved arg', given: [], error: 'args.service was not resolved' },
  {
    name: 'an undeclared arg',
    given: ['service=a', 'nope=1'],
    error: 'argument "nope" is not declared by the template',
  },
  {
    name: 'a malformed arg',
    given: ['service'],
    error: 'arguments must be in the form NAME=VALUE: "service"',
  },
])('mergeArgs rejects $name', ({ given, error }) => {
  expect(() => mergeArgs(template.spec?.args ?? [], given)).toThrow(error);
});

test.each([
  { name: 'default generateName', options: {}, want: { generateName: 'success-rate-' } },
  { name: 'a name', options: { name: 'run-1' }, want: { name: 'run-1' } },
  {
    name: 'an instance id label',
    options: { generateName: 'x-', instanceId: 'blue' },
    want: { generateName: 'x-', labels: { 'argo-rollouts.argoproj.io/controller-instance-id': 'blue' } },
  },
])('metadata: $name', ({ options, want }) => {
  const run = analysisRunFromTemplate(template, { args: ['service=web'], ...options });
  expect(run.metadata).toEqual(want);
  expect(run.spec.metrics).toEqual(template.spec?.metrics);
  expect(run.spec.dryRun).toEqual([{ metricName: 'rate' }]);
});

test('a template without metrics is an error', () => {
  expect(() => analysisRunFromTemplate({ metadata: { name: 't' }, spec: {} }, { args: [] })).toThrow(
    'AnalysisTemplate "t" has no metrics',
  );
});
