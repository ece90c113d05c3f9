import { actionRequests } from './action-request.ts';
import type { Application } from './argocd.ts';
import { canaryPaused } from './fixtures.ts';

const application: Application = {
  metadata: { name: 'shop', namespace: 'argocd' },
  spec: { project: 'team-a' },
};

test('v2: JSON body naming the target, relative to the base URI', () => {
  const { v2 } = actionRequests({
    baseURI: 'https://cd.example.com/',
    application,
    rollout: canaryPaused(),
    action: 'resume',
  });
  expect(v2.url).toBe('https://cd.example.com/api/v1/applications/shop/resource/actions/v2');
  expect(v2.init).toEqual({
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: expect.any(String),
  });
  expect(JSON.parse(v2.init.body)).toEqual({
    appNamespace: 'argocd',
    namespace: 'shop',
    resourceName: 'web',
    version: 'v1alpha1',
    kind: 'Rollout',
    group: 'argoproj.io',
    action: 'resume',
    project: 'team-a',
  });
});

test('v1: target as query parameters, body the JSON string of the action name', () => {
  const { v1 } = actionRequests({
    baseURI: 'https://cd.example.com/argo-cd/applications/shop',
    application,
    rollout: canaryPaused(),
    action: 'abort',
  });
  expect(v1.url).toBe(
    'https://cd.example.com/argo-cd/applications/api/v1/applications/shop/resource/actions' +
      '?appNamespace=argocd&namespace=shop&resourceName=web&version=v1alpha1&kind=Rollout&group=argoproj.io',
  );
  expect(v1.init.body).toBe('"abort"');
  expect(v1.init.headers).toEqual({ 'Content-Type': 'application/json' });
});

test('an Argo CD under --basehref: the base href prefixes the API path', () => {
  const { v2 } = actionRequests({
    baseURI: 'https://example.com/argo-cd/',
    application,
    rollout: canaryPaused(),
    action: 'restart',
  });
  expect(v2.url).toBe('https://example.com/argo-cd/api/v1/applications/shop/resource/actions/v2');
});

test('names are URL-encoded and optional fields left out when unknown', () => {
  const rollout = canaryPaused();
  delete rollout.apiVersion;
  const { v2, v1 } = actionRequests({
    baseURI: 'https://cd.example.com/',
    application: { metadata: { name: 'a/b?c' } },
    rollout,
    action: 'pause',
  });
  expect(v2.url).toBe('https://cd.example.com/api/v1/applications/a%2Fb%3Fc/resource/actions/v2');
  const body = JSON.parse(v2.init.body);
  expect(body).not.toHaveProperty('appNamespace');
  expect(body).not.toHaveProperty('project');
  expect(body.version).toBe('v1alpha1');
  expect(new URL(v1.url).searchParams.has('appNamespace')).toBe(false);
});

test.each([
  { name: 'no application', application: undefined, rollout: canaryPaused(), want: /no application name/ },
  { name: 'Rollout without a name', application, rollout: { metadata: {} }, want: /has no name/ },
])('refuses to build a request: $name', ({ application, rollout, want }) => {
  expect(() => actionRequests({ baseURI: 'https://x/', application, rollout, action: 'abort' })).toThrow(
    want,
  );
});

test('parameters go to v2 as resourceActionParameters; v1 is marked unable to carry them', () => {
  const requests = actionRequests({
    baseURI: 'https://cd.example.com/',
    application,
    rollout: canaryPaused(),
    action: 'undo',
    parameters: [{ name: 'revision', value: '3' }],
  });
  expect(JSON.parse(requests.v2.init.body)).toEqual({
    appNamespace: 'argocd',
    namespace: 'shop',
    resourceName: 'web',
    version: 'v1alpha1',
    kind: 'Rollout',
    group: 'argoproj.io',
    action: 'undo',
    resourceActionParameters: [{ name: 'revision', value: '3' }],
    project: 'team-a',
  });
  expect(requests.v1Unsupported).toBe('undo takes parameters, which Argo CD accepts from version 3.1 on');
});

test('no parameters: no resourceActionParameters field and v1 stays usable', () => {
  const requests = actionRequests({
    baseURI: 'https://x/',
    application,
    rollout: canaryPaused(),
    action: 'abort',
  });
  expect(JSON.parse(requests.v2.init.body)).not.toHaveProperty('resourceActionParameters');
  expect(requests.v1Unsupported).toBeUndefined();
});
