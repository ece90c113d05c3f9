import { jest } from '@jest/globals';
import { act, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import * as React from 'react';
import type { Application, ApplicationTree } from '../model/argocd.ts';
import {
  blueGreenPreview,
  CANARY,
  canaryAborted,
  canaryPaused,
  STARTED,
  twoRevisionTree,
  workloadRefRouted,
} from '../model/fixtures.ts';
import type { Rollout } from '../model/rollout.ts';
import { RolloutTab } from './rollout-tab.tsx';

const application: Application = {
  metadata: { name: 'shop', namespace: 'argocd' },
  spec: { project: 'default' },
};

interface Call {
  url: string;
  init: RequestInit;
}

/** GET URLs seen by the last stub: the tab reads ReplicaSets through Argo CD. */
let gets: string[] = [];

function reply(status: number, body: string): Response {
  const statusText = status === 403 ? 'Forbidden' : '';
  return { ok: status >= 200 && status < 300, status, statusText, text: async () => body } as Response;
}

/**
 * Stubs window.fetch (the browser boundary). POSTs are answered from `answers` ([status, body]
 * pairs, then 200) and recorded in the returned list; GETs of a resource are answered from
 * `objects` by resource name (404 when absent) and recorded in `gets`.
 */
function stubFetch(answers: [number, string][] = [], objects: Record<string, unknown> = {}): Call[] {
  const calls: Call[] = [];
  gets = [];
  const fake = async (url: string, init: RequestInit) => {
    if (init.method === 'GET') {
      gets.push(url);
      const object = objects[new URL(url).searchParams.get('resourceName') ?? ''];
      if (object === 'forbidden') return reply(403, '{"message":"permission denied"}');
      return object === undefined
        ? reply(404, '{}')
        : reply(200, JSON.stringify({ manifest: JSON.stringify(object) }));
    }
    calls.push({ url, init });
    const [status, body] = answers.shift() ?? [200, '{}'];
    return reply(status, body);
  };
  window.fetch = fake as typeof window.fetch;
  return calls;
}

const realFetch = window.fetch;
afterEach(() => {
  window.fetch = realFetch;
  jest.useRealTimers();
});

function renderTab(rollout: unknown, tree: ApplicationTree = twoRevisionTree()) {
  return render(<RolloutTab resource={rollout} tree={tree} application={application} />);
}

/** The text shown for a summary field, found by its label. */
function field(term: string): string | null | undefined {
  const summary = screen.getByRole('region', { name: 'Summary' });
  return within(summary).getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;
}

function v2Body(action: string) {
  return {
    appNamespace: 'argocd',
    namespace: 'shop',
    resourceName: 'web',
    version: 'v1alpha1',
    kind: 'Rollout',
    group: 'argoproj.io',
    action,
    project: 'default',
  };
}

test('canary paused: status, step, weights, steps and revisions newest first', () => {
  renderTab(canaryPaused());
  const summary = screen.getByRole('region', { name: 'Summary' });
  expect(within(summary).getByText('Paused')).toBeTruthy();
  expect(within(summary).getByText('CanaryPauseStep')).toBeTruthy();
  expect(field('Step')).toBe('2/5');
  expect(field('Set weight')).toBe('20%');
  expect(field('Actual weight')).toBe('20% (share of ready pods)');
  expect(field('Replicas')).toBe('desired 5, current 5, updated 1, ready 5, available 5');

  const steps = within(screen.getByRole('region', { name: 'Steps' })).getAllByRole('listitem');
  expect(steps.map((s) => s.textContent)).toEqual([
    'done1. setWeight: 20',
    'current2. pausewaiting for promotion',
    'pending3. setWeight: 50',
    'pending4. pause: 30s',
    'pending5. setWeight: 80',
  ]);
  expect(steps[1]?.getAttribute('aria-current')).toBe('step');

  const revisions = within(screen.getByRole('region', { name: 'Revisions' })).getAllByRole('article');
  expect(revisions.map((r) => r.getAttribute('aria-label'))).toEqual(['Revision 2', 'Revision 1']);
  expect(within(revisions[0]!).getByText('canary')).toBeTruthy();
  expect(within(revisions[0]!).getByText('1/1 pods ready')).toBeTruthy();
  expect(within(revisions[1]!).getByText('stable')).toBeTruthy();
  expect(within(revisions[1]!).getByText('4/4 pods ready')).toBeTruthy();
});

test('promote at a pause step sends the resume action on the v2 route with the exact body', async () => {
  const calls = stubFetch([[200, '{}']]);
  renderTab(canaryPaused());
  await userEvent.click(screen.getByRole('button', { name: /^promote$/i }));
  expect(await screen.findByRole('status')).toHaveProperty('textContent', 'Promote: requested');
  expect(calls).toHaveLength(1);
  expect(calls[0]?.url).toBe('http://localhost/api/v1/applications/shop/resource/actions/v2');
  expect(calls[0]?.init).toMatchObject({
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
  });
  expect(JSON.parse(String(calls[0]?.init.body))).toEqual(v2Body('resume'));
});

test('on a server without the v2 route, the action goes to v1 with the action name as body', async () => {
  const calls = stubFetch([
    [404, 'Not Found'],
    [200, '{}'],
  ]);
  renderTab(canaryPaused());
  await userEvent.click(screen.getByRole('button', { name: /promote full/i }));
  await screen.findByText('Promote full: requested');
  expect(calls.map((c) => c.url)).toEqual([
    'http://localhost/api/v1/applications/shop/resource/actions/v2',
    'http://localhost/api/v1/applications/shop/resource/actions' +
      '?appNamespace=argocd&namespace=shop&resourceName=web&version=v1alpha1&kind=Rollout&group=argoproj.io',
  ]);
  expect(calls[1]?.init.body).toBe('"promote-full"');
});

test('abort asks first; cancel sends nothing, confirming sends abort', async () => {
  const calls = stubFetch([[200, '{}']]);
  renderTab(canaryPaused());
  await userEvent.click(screen.getByRole('button', { name: /^abort$/i }));
  const dialog = screen.getByRole('dialog', { name: /confirm abort/i });
  await userEvent.click(within(dialog).getByRole('button', { name: /cancel/i }));
  expect(screen.queryByRole('dialog')).toBeNull();
  expect(calls).toHaveLength(0);

  await userEvent.click(screen.getByRole('button', { name: /^abort$/i }));
  await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: /yes, abort/i }));
  await screen.findByText('Abort: requested');
  expect(calls).toHaveLength(1);
  expect(JSON.parse(String(calls[0]?.init.body))).toEqual(v2Body('abort'));
});

test('a 403 from Argo CD RBAC is shown plainly', async () => {
  stubFetch([[403, JSON.stringify({ error: 'permission denied', code: 7, message: 'permission denied' })]]);
  renderTab(canaryPaused());
  await userEvent.click(screen.getByRole('button', { name: /pause/i }));
  expect((await screen.findByRole('alert')).textContent).toBe(
    'Pause failed: 403 Forbidden: permission denied',
  );
});

test('aborted canary offers retry, not abort or promote, and sends retry', async () => {
  const calls = stubFetch([[200, '{}']]);
  renderTab(canaryAborted());
  expect(screen.getByText('RolloutAborted')).toBeTruthy();
  expect(screen.getByText('Rollout aborted update to revision 2')).toBeTruthy();
  expect(screen.getByText(/Aborted: the steps start again/)).toBeTruthy();
  expect(screen.queryByRole('button', { name: /^abort$/i })).toBeNull();
  expect(screen.queryByRole('button', { name: /^promote$/i })).toBeNull();
  await userEvent.click(screen.getByRole('button', { name: /retry/i }));
  await screen.findByText('Retry: requested');
  expect(JSON.parse(String(calls[0]?.init.body))).toEqual(v2Body('retry'));
});

test('blue-green with preview: roles active and preview, no steps, promote offered', () => {
  renderTab(blueGreenPreview());
  expect(field('Strategy')).toBe('Blue-green');
  expect(screen.queryByRole('region', { name: 'Steps' })).toBeNull();
  const images = within(screen.getByRole('list', { name: 'Images' })).getAllByRole('listitem');
  expect(images.map((i) => i.textContent)).toEqual(['nginx:1.25 stableactive', 'nginx:1.26 preview']);
  expect(screen.getByRole('button', { name: /^promote$/i })).toBeTruthy();
});

test('workloadRef with traffic routing: workload, router weight, and a live pause countdown', () => {
  jest.useFakeTimers({ now: Date.parse(STARTED) + 15_000 });
  renderTab(workloadRefRouted());
  expect(field('Workload')).toBe('Deployment/web-deploy');
  expect(field('Set weight')).toBe('30%');
  expect(field('Actual weight')).toBe('20%');
  expect(screen.getByText('resumes in 45s')).toBeTruthy();
  act(() => {
    jest.advanceTimersByTime(5_000);
  });
  expect(screen.getByText('resumes in 40s')).toBeTruthy();
});

test('HTML and script in resource fields are shown as text, never as markup', () => {
  const rollout = canaryAborted();
  rollout.status!.message = 'RolloutAborted: <script>window.pwned = 1</script><b>bold</b>';
  rollout.spec!.strategy!.canary!.steps = [{ plugin: { name: '<img src=x onerror=alert(1)>' } }];
  const tree = twoRevisionTree();
  tree.nodes!.find((n) => n.kind === 'Pod')!.images = ['<img src=x onerror=alert(1)>'];
  const { container } = renderTab(rollout, tree);
  expect(screen.getByText('<script>window.pwned = 1</script><b>bold</b>')).toBeTruthy();
  expect(screen.getByText('1. plugin: <img src=x onerror=alert(1)>')).toBeTruthy();
  expect(container.querySelector('script, b, img')).toBeNull();
  expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
});

test.each([
  { name: 'no status', resource: { kind: 'Rollout', metadata: { name: 'web' }, spec: {} } },
  { name: 'status is a list', resource: { kind: 'Rollout', metadata: { name: 'web' }, status: [1, 2] } },
  {
    name: 'wrong types everywhere',
    resource: {
      kind: 'Rollout',
      metadata: { name: ['web'], generation: {} },
      spec: {
        strategy: { canary: { steps: [null, { pause: 'x' }, { setWeight: 'ten' }] } },
        replicas: 'many',
      },
      status: {
        phase: { x: 1 },
        currentStepIndex: 'two',
        pauseConditions: [null],
        abort: 1,
        conditions: 'x',
      },
    },
  },
])('malformed Rollouts still render: $name', ({ resource }) => {
  renderTab(resource as Rollout, { nodes: [null, { kind: 'Pod' }] } as unknown as ApplicationTree);
  expect(screen.getByRole('region', { name: 'Summary' })).toBeTruthy();
  expect(screen.queryByText(/The Rollout tab failed/)).toBeNull();
});

test('loading and wrong-kind states', () => {
  const { rerender } = render(<RolloutTab resource={undefined} />);
  expect(screen.getByRole('status').textContent).toMatch(/loading/i);
  rerender(<RolloutTab resource={{ kind: 'Deployment' }} />);
  expect(screen.getByRole('alert').textContent).toMatch(/this resource is Deployment/);
});

test('without an application name the action fails with a message instead of a request', async () => {
  const calls = stubFetch();
  render(<RolloutTab resource={canaryPaused()} tree={twoRevisionTree()} />);
  await userEvent.click(screen.getByRole('button', { name: /restart/i }));
  expect((await screen.findByRole('alert')).textContent).toBe(
    'Restart failed: cannot run restart: no application name',
  );
  expect(calls).toHaveLength(0);
});

test('an older ReplicaSet shows the scale-down delay left, read through Argo CD', async () => {
  jest.useFakeTimers({ now: Date.parse(STARTED) + 10_000 });
  const deadline = new Date(Date.parse(STARTED) + 30_000).toISOString();
  stubFetch([], { [`web-${CANARY}`]: { metadata: { annotations: { 'scale-down-deadline': deadline } } } });
  renderTab(canaryAborted());
  const canary = screen.getByRole('article', { name: 'Revision 2' });
  expect(await within(canary).findByText(/scale-down in 20s/)).toBeTruthy();
  expect(gets).toEqual([
    'http://localhost/api/v1/applications/shop/resource?namespace=shop&resourceName=web-7b9c5d6f48' +
      '&version=v1&kind=ReplicaSet&group=apps&appNamespace=argocd&project=default',
  ]);
  act(() => {
    jest.advanceTimersByTime(25_000);
  });
  expect(within(canary).getByText(/scale-down delay passed/)).toBeTruthy();
});

test('a ReplicaSet that cannot be read (403) only hides its deadline', async () => {
  stubFetch([], { [`web-${CANARY}`]: 'forbidden' });
  renderTab(canaryAborted());
  await act(async () => {
    await Promise.resolve();
  });
  expect(gets).toHaveLength(1);
  expect(screen.queryByText(/scale-down/)).toBeNull();
  expect(screen.getByRole('article', { name: 'Revision 2' })).toBeTruthy();
});
