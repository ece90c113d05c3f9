import { KubeConfig } from '@kubernetes/client-node';
import { RateLimiter, defaultNamespace, requestInfo, takeToken } from './client.ts';

describe('requestInfo', () => {
  const base = 'https://127.0.0.1:6443';
  test.each([
    {
      name: 'list ReplicaSets in a namespace',
      method: 'GET',
      url: `${base}/apis/apps/v1/namespaces/ns/replicasets?labelSelector=a%3Db`,
      want: { kind: 'replicasets', namespace: 'ns', name: '', verb: 'List' },
    },
    {
      name: 'watch Rollouts cluster-wide',
      method: 'GET',
      url: `${base}/apis/argoproj.io/v1alpha1/rollouts?watch=true&resourceVersion=5`,
      want: { kind: 'rollouts', namespace: '', name: '', verb: 'Watch' },
    },
    {
      name: 'get a Service',
      method: 'GET',
      url: `${base}/api/v1/namespaces/ns/services/web`,
      want: { kind: 'services', namespace: 'ns', name: 'web', verb: 'Get' },
    },
    {
      name: 'patch a ReplicaSet scale subresource',
      method: 'PATCH',
      url: `${base}/apis/apps/v1/namespaces/ns/replicasets/web-7d9f/scale`,
      want: { kind: 'replicasets', namespace: 'ns', name: 'web-7d9f', verb: 'Patch' },
    },
    {
      name: 'update Rollout status',
      method: 'PUT',
      url: `${base}/apis/argoproj.io/v1alpha1/namespaces/ns/rollouts/web/status`,
      want: { kind: 'rollouts', namespace: 'ns', name: 'web', verb: 'Update' },
    },
    {
      name: 'create an Event',
      method: 'POST',
      url: `${base}/api/v1/namespaces/ns/events`,
      want: { kind: 'events', namespace: 'ns', name: '', verb: 'Create' },
    },
    {
      name: 'delete a ReplicaSet',
      method: 'DELETE',
      url: `${base}/apis/apps/v1/namespaces/ns/replicasets/old`,
      want: { kind: 'replicasets', namespace: 'ns', name: 'old', verb: 'Delete' },
    },
    {
      name: 'delete a collection',
      method: 'DELETE',
      url: `${base}/api/v1/namespaces/ns/pods`,
      want: { kind: 'pods', namespace: 'ns', name: '', verb: 'DeleteCollection' },
    },
    {
      name: 'get a Namespace (cluster-scoped)',
      method: 'GET',
      url: `${base}/api/v1/namespaces/ns`,
      want: { kind: 'namespaces', namespace: '', name: 'ns', verb: 'Get' },
    },
    {
      name: 'a non-resource path',
      method: 'GET',
      url: `${base}/version`,
      want: { kind: 'Unknown', namespace: '', name: '', verb: 'List' },
    },
    {
      name: 'an unknown method',
      method: 'OPTIONS',
      url: `${base}/api/v1/pods`,
      want: { kind: 'pods', namespace: '', name: '', verb: 'Unknown' },
    },
  ])('$name', ({ method, url, want }) => {
    expect(requestInfo(method, url)).toEqual(want);
  });
});

describe('takeToken', () => {
  const limits = { qps: 40, burst: 80 };
  test.each([
    {
      name: 'a full bucket lets a request through',
      tokens: 80,
      elapsedMs: 0,
      want: { tokens: 79, waitMs: 0 },
    },
    { name: 'the last token', tokens: 1, elapsedMs: 0, want: { tokens: 0, waitMs: 0 } },
    {
      name: 'empty: wait one interval (25 ms at 40 qps)',
      tokens: 0,
      elapsedMs: 0,
      want: { tokens: -1, waitMs: 25 },
    },
    { name: 'in debt: queue behind the others', tokens: -3, elapsedMs: 0, want: { tokens: -4, waitMs: 100 } },
    { name: 'refills with time', tokens: 0, elapsedMs: 100, want: { tokens: 3, waitMs: 0 } },
    { name: 'refill stops at burst', tokens: 0, elapsedMs: 60_000, want: { tokens: 79, waitMs: 0 } },
  ])('$name', ({ tokens, elapsedMs, want }) => {
    const result = takeToken({ tokens, at: 1000 }, 1000 + elapsedMs, limits);
    expect({ tokens: result.bucket.tokens, waitMs: result.waitMs }).toEqual(want);
    expect(result.bucket.at).toBe(1000 + elapsedMs);
  });

  test('qps 0 means no limit', () => {
    expect(takeToken({ tokens: -100, at: 0 }, 0, { qps: 0, burst: 0 }).waitMs).toBe(0);
  });
});

describe('defaultNamespace', () => {
  const config = (namespace?: string) => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://127.0.0.1:6443' }],
      users: [{ name: 'u' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u', namespace }],
      currentContext: 'x',
    });
    return kc;
  };
  test.each([
    { name: 'the context namespace wins', ns: 'team-a', env: { POD_NAMESPACE: 'p' }, want: 'team-a' },
    {
      name: 'then POD_NAMESPACE',
      ns: undefined,
      env: { POD_NAMESPACE: 'argo-rollouts' },
      want: 'argo-rollouts',
    },
    { name: 'else default (no service account here)', ns: undefined, env: {}, want: 'default' },
  ])('$name', ({ ns, env, want }) => {
    expect(defaultNamespace(config(ns), env)).toBe(want);
  });
});

describe('RateLimiter', () => {
  test('lets a burst through at once, then spaces requests at the rate', async () => {
    let now = 0;
    const delays: number[] = [];
    const timers = {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => {
        delays.push(ms);
        now += ms;
        fn();
        return 0;
      },
      clearTimeout: () => {},
    };
    const limiter = new RateLimiter({ qps: 10, burst: 2 }, timers);
    for (let i = 0; i < 4; i++) await limiter.take();
    expect(delays).toEqual([100, 100]);
  });
});
