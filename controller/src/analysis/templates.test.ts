import type { AnalysisTemplateSpec, Metric } from '@rollout-kit/api';
import { flattenTemplates, mergeArgs, overrideArgs, type TemplateLookup } from './templates.ts';

const metric = (name: string): Metric => ({ name, provider: { web: { url: 'http://x' } } });
const namespaced: Record<string, AnalysisTemplateSpec> = {
  'success-rate': {
    metrics: [metric('success-rate')],
    args: [{ name: 'service' }, { name: 'threshold', value: '0.95' }],
    dryRun: [{ metricName: 'latency' }],
  },
  latency: {
    metrics: [metric('latency')],
    args: [{ name: 'service' }],
    measurementRetention: [{ metricName: '.*', limit: 3 }],
  },
  both: { templates: [{ templateName: 'success-rate' }, { templateName: 'latency' }] },
  again: { metrics: [metric('success-rate')] },
  conflicting: { metrics: [metric('other')], args: [{ name: 'threshold', value: '0.5' }] },
};
const cluster: Record<string, AnalysisTemplateSpec> = { global: { metrics: [metric('global')] } };
const lookup: TemplateLookup = { namespaced: (n) => namespaced[n], cluster: (n) => cluster[n] };

test('several templates merge into one spec, args joined by name', () => {
  const flat = flattenTemplates([{ templateName: 'success-rate' }, { templateName: 'latency' }], lookup);
  expect(flat.metrics.map((m) => m.name)).toEqual(['success-rate', 'latency']);
  expect(flat.args).toEqual([{ name: 'service' }, { name: 'threshold', value: '0.95' }]);
  expect(flat.dryRun).toEqual([{ metricName: 'latency' }]);
  expect(flat.measurementRetention).toEqual([{ metricName: '.*', limit: 3 }]);
});

test.each([
  {
    name: 'nested templates are followed',
    refs: [{ templateName: 'both' }],
    want: ['success-rate', 'latency'],
  },
  {
    name: 'a template reached twice counts once',
    refs: [{ templateName: 'both' }, { templateName: 'latency' }],
    want: ['success-rate', 'latency'],
  },
  { name: 'cluster templates', refs: [{ templateName: 'global', clusterScope: true }], want: ['global'] },
])('flattenTemplates: $name', ({ refs, want }) => {
  expect(flattenTemplates(refs, lookup).metrics.map((m) => m.name)).toEqual(want);
});

test.each([
  {
    name: 'a missing template',
    refs: [{ templateName: 'nope' }],
    error: 'analysistemplate.argoproj.io "nope" not found',
  },
  {
    name: 'a missing cluster template',
    refs: [{ templateName: 'success-rate', clusterScope: true }],
    error: 'clusteranalysistemplate.argoproj.io "success-rate" not found',
  },
  {
    name: 'two metrics of one name',
    refs: [{ templateName: 'success-rate' }, { templateName: 'again' }],
    error: 'two metrics have the same name "success-rate"',
  },
  {
    name: 'one arg with two values',
    refs: [{ templateName: 'success-rate' }, { templateName: 'conflicting' }],
    error: 'arg "threshold" has two different values in the templates',
  },
])('flattenTemplates refuses $name', ({ refs, error }) => {
  expect(() => flattenTemplates(refs, lookup)).toThrow(error);
});

test('mergeArgs lets a value fill a valueless arg', () => {
  expect(mergeArgs([{ name: 'a' }], [{ name: 'a', value: '1' }])).toEqual([{ name: 'a', value: '1' }]);
});

test('overrideArgs: caller values win by name; undeclared ones are ignored', () => {
  expect(
    overrideArgs([{ name: 'service' }, { name: 'threshold', value: '0.95' }], {
      service: 'web',
      threshold: '0.9',
      extra: 'x',
    }),
  ).toEqual([
    { name: 'service', value: 'web' },
    { name: 'threshold', value: '0.9' },
  ]);
});
