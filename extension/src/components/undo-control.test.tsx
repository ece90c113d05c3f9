import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import * as React from 'react';
import type { Application } from '../model/argocd.ts';
import { CANARY, canaryPaused, STABLE, treeOf } from '../model/fixtures.ts';
import { RolloutTab } from './rollout-tab.tsx';
import { stubFetch } from './test-fetch.ts';

const application: Application = {
  metadata: { name: 'shop', namespace: 'argocd' },
  spec: { project: 'default' },
};
const realFetch = window.fetch;
afterEach(() => {
  window.fetch = realFetch;
});

/** Argo CD's action list with our undo action configured (discovery.lua's output). */
const WITH_UNDO = {
  actions: [{ name: 'undo', params: [{ name: 'revision', default: '2' }] }, { name: 'abort' }],
};

function threeRevisions() {
  return treeOf('web', [
    { hash: 'aaa111', revision: 1, image: 'nginx:1.24', pods: [] },
    { hash: STABLE, revision: 2, image: 'nginx:1.25', pods: [true] },
    { hash: CANARY, revision: 3, image: 'nginx:1.26', pods: [true] },
  ]);
}

function renderTab(rollout = canaryPaused()) {
  return render(<RolloutTab resource={rollout} tree={threeRevisions()} application={application} />);
}

/** Opens the undo control and waits for Argo CD's answer on whether it offers undo. */
async function openUndo() {
  await userEvent.click(screen.getByRole('button', { name: 'Undo to a revision…' }));
}

test('undo to a picked revision asks first, then sends the undo action with the revision parameter', async () => {
  const stub = stubFetch({ answers: [[200, '{}']], actions: WITH_UNDO });
  renderTab();
  // Nothing is read before the user opens the control.
  expect(stub.gets.filter((u) => u.includes('/resource/actions'))).toEqual([]);
  await openUndo();
  const undo = screen.getByRole('region', { name: 'Undo' });
  const picker = await within(undo).findByRole('combobox', { name: /undo to revision/i });
  expect(
    within(picker)
      .getAllByRole('option')
      .map((o) => o.textContent),
  ).toEqual(['2 (nginx:1.25)', '1 (web-aaa111)']);
  const list = stub.gets.filter((u) => new URL(u).pathname.endsWith('/resource/actions'));
  expect(list).toEqual([
    'http://localhost/api/v1/applications/shop/resource/actions?namespace=shop&resourceName=web' +
      '&version=v1alpha1&kind=Rollout&group=argoproj.io&appNamespace=argocd&project=default',
  ]);
  await userEvent.selectOptions(picker, '1');
  await userEvent.click(within(undo).getByRole('button', { name: 'Undo' }));
  expect(stub.posts).toHaveLength(0);
  const dialog = screen.getByRole('dialog', { name: 'Confirm undo' });
  expect(dialog.textContent).toContain(
    'Undo to revision 1? The Rollout goes back to the pod template of ReplicaSet web-aaa111, which',
  );
  await userEvent.click(within(dialog).getByRole('button', { name: 'Yes, undo to revision 1' }));
  expect(await within(undo).findByRole('status')).toHaveProperty(
    'textContent',
    'Undo to revision 1: requested',
  );
  expect(stub.posts).toHaveLength(1);
  expect(stub.posts[0]?.url).toBe('http://localhost/api/v1/applications/shop/resource/actions/v2');
  expect(JSON.parse(String(stub.posts[0]?.init.body))).toEqual({
    appNamespace: 'argocd',
    namespace: 'shop',
    resourceName: 'web',
    version: 'v1alpha1',
    kind: 'Rollout',
    group: 'argoproj.io',
    action: 'undo',
    resourceActionParameters: [{ name: 'revision', value: '1' }],
    project: 'default',
  });
});

test('cancel and close send nothing', async () => {
  const stub = stubFetch({ actions: WITH_UNDO });
  renderTab();
  await openUndo();
  await userEvent.click(await screen.findByRole('button', { name: 'Undo' }));
  await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
  expect(screen.queryByRole('dialog')).toBeNull();
  await userEvent.click(screen.getByRole('button', { name: 'Close' }));
  expect(screen.getByRole('button', { name: 'Undo to a revision…' })).toBeTruthy();
  expect(stub.posts).toHaveLength(0);
});

test.each([
  {
    name: '403 from RBAC',
    answers: [[403, '{"message":"permission denied: applications, action/argoproj.io/Rollout/undo"}']] as [
      number,
      string,
    ][],
    want: 'Undo failed: 403 Forbidden: permission denied: applications, action/argoproj.io/Rollout/undo',
  },
  {
    name: 'an Argo CD older than 3.1: no v1 retry, it cannot carry the revision',
    answers: [[404, 'Not Found']] as [number, string][],
    want: 'Undo failed: 404: Not Found (undo takes parameters, which Argo CD accepts from version 3.1 on)',
  },
  {
    name: 'an error from the action script',
    answers: [[400, '{"message":"undo: revision 2 is already the current revision"}']] as [number, string][],
    want: 'Undo failed: 400: undo: revision 2 is already the current revision',
  },
])('errors are shown plainly: $name', async ({ answers, want }) => {
  const stub = stubFetch({ answers, actions: WITH_UNDO });
  renderTab();
  await openUndo();
  await userEvent.click(await screen.findByRole('button', { name: 'Undo' }));
  await userEvent.click(screen.getByRole('button', { name: 'Yes, undo to revision 2' }));
  expect((await screen.findByRole('alert')).textContent).toBe(want);
  expect(stub.posts).toHaveLength(1);
});

test.each([
  {
    name: 'not configured in argocd-cm',
    actions: { actions: [{ name: 'abort' }] },
    text: /Argo CD does not offer the undo action: add Rollout Kit's undo action to argocd-cm/,
  },
  {
    name: 'disabled by discovery',
    actions: { actions: [{ name: 'undo', disabled: true }] },
    text: /Argo CD does not offer undo for this Rollout now/,
  },
])('when Argo CD does not offer undo, the control says so: $name', async ({ actions, text }) => {
  const stub = stubFetch({ actions });
  renderTab();
  await openUndo();
  expect(await screen.findByText(text)).toBeTruthy();
  expect(screen.queryByRole('combobox')).toBeNull();
  expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  expect(stub.posts).toHaveLength(0);
});

test('when the action list cannot be read, the picker is offered and the server decides', async () => {
  stubFetch({});
  renderTab();
  await openUndo();
  expect(await screen.findByRole('combobox', { name: /undo to revision/i })).toBeTruthy();
});

test('a pending undo is shown instead of the control', () => {
  stubFetch({});
  const rollout = canaryPaused();
  rollout.metadata = { ...rollout.metadata, annotations: { 'rollout-kit.io/undo-to-revision': '<b>2</b>' } };
  renderTab(rollout);
  expect(screen.getByText('Undo to revision <b>2</b> requested; waiting for the controller.')).toBeTruthy();
  expect(screen.queryByRole('button', { name: /undo/i })).toBeNull();
});

test('no earlier revision: no undo', () => {
  stubFetch({});
  render(
    <RolloutTab
      resource={canaryPaused()}
      tree={treeOf('web', [{ hash: CANARY, revision: 3, image: 'x', pods: [] }])}
      application={application}
    />,
  );
  expect(screen.queryByRole('region', { name: 'Undo' })).toBeNull();
});
