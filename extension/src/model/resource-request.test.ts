import {
  actionStates,
  actionsUrl,
  eventItems,
  eventsUrl,
  manifestOf,
  resourceUrl,
  scaleDownDeadline,
} from './resource-request.ts';

const target = { namespace: 'shop', name: 'web-abc', group: 'apps', version: 'v1', kind: 'ReplicaSet' };

test('resourceUrl names the object, the app namespace and project, relative to the base URI', () => {
  const url = resourceUrl(
    'https://example.com/argo-cd/',
    { metadata: { name: 'shop', namespace: 'argocd' }, spec: { project: 'p' } },
    target,
  );
  expect(url).toBe(
    'https://example.com/argo-cd/api/v1/applications/shop/resource?namespace=shop&resourceName=web-abc' +
      '&version=v1&kind=ReplicaSet&group=apps&appNamespace=argocd&project=p',
  );
});

test('resourceUrl keeps an empty group and needs an application name', () => {
  const url = resourceUrl('https://x/', { metadata: { name: 'a' } }, { ...target, group: '' });
  expect(new URL(url!).searchParams.get('group')).toBe('');
  expect(resourceUrl('https://x/', undefined, target)).toBeUndefined();
  expect(resourceUrl('https://x/', { metadata: { name: '' } }, target)).toBeUndefined();
});

test.each([
  { name: 'manifest string', body: { manifest: '{"kind":"ReplicaSet"}' }, want: { kind: 'ReplicaSet' } },
  { name: 'manifest not JSON', body: { manifest: '{kind' }, want: undefined },
  { name: 'manifest JSON but not an object', body: { manifest: '[1]' }, want: undefined },
  { name: 'manifest already an object', body: { manifest: { kind: 'ReplicaSet' } }, want: undefined },
  { name: 'no body', body: null, want: undefined },
])('manifestOf: $name', ({ body, want }) => {
  expect(manifestOf(body)).toEqual(want);
});

test.each([
  {
    name: 'deadline set',
    rs: { metadata: { annotations: { 'scale-down-deadline': '2026-11-23T10:00:30Z' } } },
    want: Date.parse('2026-11-23T10:00:30Z'),
  },
  { name: 'no annotations', rs: { metadata: {} }, want: undefined },
  {
    name: 'not a time',
    rs: { metadata: { annotations: { 'scale-down-deadline': 'soon' } } },
    want: undefined,
  },
  {
    name: 'prefixed key is not the one the controller writes',
    rs: {
      metadata: { annotations: { 'argo-rollouts.argoproj.io/scale-down-deadline': '2026-11-23T10:00:30Z' } },
    },
    want: undefined,
  },
  { name: 'no object', rs: undefined, want: undefined },
])('scaleDownDeadline: $name', ({ rs, want }) => {
  expect(scaleDownDeadline(rs)).toBe(want);
});

test('eventsUrl names the resource by namespace, name and UID, with the app namespace and project', () => {
  const url = eventsUrl(
    'https://example.com/argo-cd/',
    { metadata: { name: 'shop', namespace: 'argocd' }, spec: { project: 'p' } },
    { namespace: 'shop', name: 'web', uid: 'u-1' },
  );
  expect(url).toBe(
    'https://example.com/argo-cd/api/v1/applications/shop/events?resourceNamespace=shop&resourceName=web' +
      '&resourceUID=u-1&appNamespace=argocd&project=p',
  );
  expect(eventsUrl('https://x/', { metadata: {} }, { namespace: 'a', name: 'b', uid: 'c' })).toBeUndefined();
});

test.each([
  { name: 'items', body: { items: [{ reason: 'A' }] }, want: [{ reason: 'A' }] },
  { name: 'no items', body: {}, want: [] },
  { name: 'items not a list', body: { items: 'x' }, want: [] },
  { name: 'not an object', body: 'x', want: [] },
])('eventItems: $name', ({ body, want }) => {
  expect(eventItems(body)).toEqual(want);
});

test('actionsUrl is the resource URL with /actions, the query kept', () => {
  const url = actionsUrl(
    'https://example.com/argo-cd/',
    { metadata: { name: 'shop', namespace: 'argocd' } },
    target,
  );
  expect(url).toBe(
    'https://example.com/argo-cd/api/v1/applications/shop/resource/actions?namespace=shop&resourceName=web-abc' +
      '&version=v1&kind=ReplicaSet&group=apps&appNamespace=argocd',
  );
  expect(actionsUrl('https://x/', undefined, target)).toBeUndefined();
});

test.each([
  {
    name: 'enabled and disabled actions',
    body: {
      actions: [
        { name: 'undo', params: [{ name: 'revision' }] },
        { name: 'abort', disabled: true },
      ],
    },
    want: [
      ['undo', { disabled: false }],
      ['abort', { disabled: true }],
    ],
  },
  { name: 'no actions', body: {}, want: [] },
  { name: 'malformed entries are skipped', body: { actions: [null, { disabled: true }, 'x'] }, want: [] },
])('actionStates: $name', ({ body, want }) => {
  expect([...actionStates(body)]).toEqual(want);
});
