import type { Experiment, TemplateSpec } from '@rollout-kit/api';
import { experimentService, serviceActions, templateServiceName } from './experiment-services.ts';

const template = (name: string, extra: Partial<TemplateSpec> = {}, ports = [{ containerPort: 8080 }]) =>
  ({
    name,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web', 'rollouts-pod-template-hash': 'stale' } },
      spec: { containers: [{ name: 'web', image: 'web:1', ports }] },
    },
    ...extra,
  }) as TemplateSpec;
const experiment = (templates: TemplateSpec[]): Experiment => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Experiment',
  metadata: { name: 'exp', namespace: 'ns', uid: 'u1' },
  spec: { templates },
});

describe('experimentService', () => {
  test('named after the ReplicaSet, selecting its labels and hash, a port per container port', () => {
    const t = template('a', { service: {} }, [
      { containerPort: 8080, name: 'http', protocol: 'TCP' } as never,
      { containerPort: 9090 } as never,
    ]);
    expect(experimentService(experiment([t]), t, 'h1')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'exp-a',
        namespace: 'ns',
        annotations: { 'experiment.argoproj.io/name': 'exp', 'experiment.argoproj.io/template-name': 'a' },
        ownerReferences: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Experiment',
            name: 'exp',
            uid: 'u1',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        selector: { app: 'web', 'rollouts-pod-template-hash': 'h1' },
        ports: [
          { name: 'http', protocol: 'TCP', port: 8080, targetPort: 8080 },
          { port: 9090, targetPort: 9090 },
        ],
      },
    });
  });
  test.each([
    { name: 'service.name wins', service: { name: 'preview' }, want: 'preview' },
    { name: 'an empty name is the ReplicaSet name', service: { name: '' }, want: 'exp-a' },
    { name: 'no name is the ReplicaSet name', service: {}, want: 'exp-a' },
  ])('$name', ({ service, want }) => {
    expect(templateServiceName(experiment([]), template('a', { service }))).toBe(want);
  });
  test('none for a template without container ports', () => {
    const t = template('a', { service: {} }, []);
    expect(experimentService(experiment([t]), t, 'h1')).toBeUndefined();
  });
});

describe('serviceActions', () => {
  const svc = (t: string) => [t, { name: `exp-${t}`, template: t }] as const;
  test.each([
    {
      name: 'a running template with service and a ReplicaSet gets one',
      templates: [template('a', { service: {} })],
      services: [],
      rs: [['a', { hash: 'h', scaledDown: false }]],
      completed: false,
      want: { create: ['a'], delete: [] },
    },
    {
      name: 'not before its ReplicaSet exists',
      templates: [template('a', { service: {} })],
      services: [],
      rs: [],
      completed: false,
      want: { create: [], delete: [] },
    },
    {
      name: 'not without container ports',
      templates: [template('a', { service: {} }, [])],
      services: [],
      rs: [['a', { hash: 'h', scaledDown: false }]],
      completed: false,
      want: { create: [], delete: [] },
    },
    {
      name: 'an existing one is kept while running',
      templates: [template('a', { service: {} })],
      services: [svc('a')],
      rs: [['a', { hash: 'h', scaledDown: false }]],
      completed: false,
      want: { create: [], delete: [] },
    },
    {
      name: 'kept after completion until the ReplicaSet is scaled down',
      templates: [template('a', { service: {} })],
      services: [svc('a')],
      rs: [['a', { hash: 'h', scaledDown: false }]],
      completed: true,
      want: { create: [], delete: [] },
    },
    {
      name: 'deleted once the ReplicaSet is scaled down',
      templates: [template('a', { service: {} })],
      services: [svc('a')],
      rs: [['a', { hash: 'h', scaledDown: true }]],
      completed: true,
      want: { create: [], delete: ['exp-a'] },
    },
    {
      name: 'not re-created after completion',
      templates: [template('a', { service: {} })],
      services: [],
      rs: [['a', { hash: 'h', scaledDown: true }]],
      completed: true,
      want: { create: [], delete: [] },
    },
    {
      name: 'deleted when the template no longer asks for one, or is gone',
      templates: [template('a')],
      services: [svc('a'), svc('gone')],
      rs: [['a', { hash: 'h', scaledDown: false }]],
      completed: false,
      want: { create: [], delete: ['exp-a', 'exp-gone'] },
    },
  ])('$name', ({ templates, services, rs, completed, want }) => {
    expect(
      serviceActions({
        experiment: experiment(templates),
        services: new Map(services),
        replicaSets: new Map(rs as [string, { hash: string; scaledDown: boolean }][]),
        completed,
      }),
    ).toEqual(want);
  });
});
