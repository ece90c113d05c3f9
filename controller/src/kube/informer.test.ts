import {
  afterWatchEnd,
  collectionPath,
  instanceIdSelector,
  objectKey,
  splitKey,
  watchStep,
  type ResourceRef,
} from './informer.ts';

const replicaSets: ResourceRef = { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true };
const rollouts: ResourceRef = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'rollouts',
  namespaced: true,
};
const services: ResourceRef = { group: '', version: 'v1', plural: 'services', namespaced: true };
const templates: ResourceRef = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'clusteranalysistemplates',
  namespaced: false,
};

test.each([
  {
    name: 'namespaced, one namespace',
    resource: replicaSets,
    ns: 'team',
    want: '/apis/apps/v1/namespaces/team/replicasets',
  },
  {
    name: 'namespaced, all namespaces',
    resource: rollouts,
    ns: undefined,
    want: '/apis/argoproj.io/v1alpha1/rollouts',
  },
  { name: 'core group', resource: services, ns: 'team', want: '/api/v1/namespaces/team/services' },
  {
    name: 'cluster-scoped ignores the namespace',
    resource: templates,
    ns: 'team',
    want: '/apis/argoproj.io/v1alpha1/clusteranalysistemplates',
  },
])('collectionPath: $name', ({ resource, ns, want }) => {
  expect(collectionPath(resource, ns)).toBe(want);
});

test.each([
  {
    name: 'an instance id selects its label',
    id: 'blue',
    want: 'argo-rollouts.argoproj.io/controller-instance-id=blue',
  },
  {
    name: 'no instance id selects unlabelled objects',
    id: '',
    want: '!argo-rollouts.argoproj.io/controller-instance-id',
  },
])('instanceIdSelector: $name', ({ id, want }) => {
  expect(instanceIdSelector(id)).toBe(want);
});

test.each([
  { name: 'namespaced', object: { metadata: { name: 'web', namespace: 'ns' } }, want: 'ns/web' },
  { name: 'cluster-scoped', object: { metadata: { name: 'shared' } }, want: 'shared' },
  { name: 'no metadata', object: {}, want: '' },
])('objectKey: $name', ({ object, want }) => {
  expect(objectKey(object)).toBe(want);
});

test.each([
  { name: 'namespace/name', key: 'ns/web', want: { namespace: 'ns', name: 'web' } },
  { name: 'bare name', key: 'shared', want: { namespace: '', name: 'shared' } },
])('splitKey: $name', ({ key, want }) => {
  expect(splitKey(key)).toEqual(want);
});

describe('watchStep', () => {
  const obj = { metadata: { name: 'a', resourceVersion: '42' } };
  test.each([
    { name: 'added', type: 'ADDED', object: obj, want: { apply: 'upsert', resourceVersion: '42' } },
    { name: 'modified', type: 'MODIFIED', object: obj, want: { apply: 'upsert', resourceVersion: '42' } },
    { name: 'deleted', type: 'DELETED', object: obj, want: { apply: 'delete', resourceVersion: '42' } },
    {
      name: 'bookmark',
      type: 'BOOKMARK',
      object: { metadata: { resourceVersion: '50' } },
      want: { apply: 'bookmark', resourceVersion: '50' },
    },
    {
      name: 'expired resourceVersion',
      type: 'ERROR',
      object: { kind: 'Status', code: 410, message: 'too old resource version: 1 (40)' },
      want: { apply: 'relist', gone: true, message: 'too old resource version: 1 (40)' },
    },
    {
      name: 'other watch error',
      type: 'ERROR',
      object: { kind: 'Status', code: 500, message: 'internal error' },
      want: { apply: 'relist', gone: false, message: 'internal error' },
    },
    {
      name: 'error without a Status',
      type: 'ERROR',
      object: null,
      want: { apply: 'relist', gone: false, message: 'watch error' },
    },
    { name: 'unknown type', type: 'SURPRISE', object: obj, want: { apply: 'ignore' } },
    {
      name: 'malformed object keeps no version',
      type: 'ADDED',
      object: 'garbage',
      want: { apply: 'upsert', resourceVersion: undefined },
    },
  ])('$name', ({ type, object, want }) => {
    expect(watchStep(type, object)).toEqual(want);
  });
});

describe('afterWatchEnd', () => {
  test.each([
    { name: 'server closed the watch', error: null, want: 'resume' },
    { name: 'quiet for too long', error: new DOMException('timeout', 'TimeoutError'), want: 'resume' },
    { name: '410 on connect', error: Object.assign(new Error('Gone'), { statusCode: 410 }), want: 'relist' },
    {
      name: '500 on connect',
      error: Object.assign(new Error('Internal'), { statusCode: 500 }),
      want: 'backoff',
    },
    {
      name: 'connection reset',
      error: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
      want: 'backoff',
    },
  ])('$name', ({ error, want }) => {
    expect(afterWatchEnd(error)).toBe(want);
  });
});
