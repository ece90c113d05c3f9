import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import * as React from 'react';
import type { Application, ApplicationTree } from '../model/argocd.ts';
import { blueGreenPreview, canaryAborted, canaryPaused, STABLE, twoRevisionTree } from '../model/fixtures.ts';
import { RolloutTab } from './rollout-tab.tsx';
import { stubFetch } from './test-fetch.ts';

const application: Application = {
  metadata: { name: 'shop', namespace: 'argocd' },
  spec: { project: 'default' },
};
const realFetch = window.fetch;
afterEach(() => {
  window.fetch = realFetch;
  window.history.replaceState(null, '', '/');
});

function treeWithApi(): ApplicationTree {
  const tree = twoRevisionTree();
  tree.nodes?.push({
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Rollout',
    name: 'api',
    namespace: 'shop',
    resourceVersion: '7',
    health: { status: 'Suspended' },
  });
  return tree;
}

function apiRollout() {
  const api = blueGreenPreview();
  api.metadata = { name: 'api', namespace: 'shop', generation: 4 };
  return api;
}

test('History lists the abort with its reason, the Events, and the rollback recorded on a ReplicaSet', async () => {
  const rollout = canaryAborted();
  rollout.metadata = { ...rollout.metadata, resourceVersion: '100' };
  const stub = stubFetch({
    objects: {
      [`web-${STABLE}`]: { metadata: { annotations: { 'rollout.argoproj.io/revision-history': '3' } } },
    },
    events: {
      items: [
        {
          reason: 'RolloutAborted',
          type: 'Warning',
          message: 'Rollout aborted update to revision 2: <b>bold</b>',
          lastTimestamp: '2026-11-23T10:00:05Z',
        },
      ],
    },
  });
  render(<RolloutTab resource={rollout} tree={twoRevisionTree()} application={application} />);
  await userEvent.click(screen.getByRole('tab', { name: 'History' }));
  expect(screen.getByRole('tab', { name: 'History' }).getAttribute('aria-selected')).toBe('true');
  const history = screen.getByRole('region', { name: 'History' });
  expect(await within(history).findByText(/Rollout aborted update to revision 2: <b>bold<\/b>/)).toBeTruthy();
  expect(
    await within(history).findByText('Revision 1: rolled back to the template of revision 3'),
  ).toBeTruthy();
  const items = within(history)
    .getAllByRole('listitem')
    .map((li) => li.textContent ?? '');
  expect(items[0]).toMatch(/^2026-11-23 10:00:05 UTC .*RolloutAborted: Rollout aborted update to revision 2/);
  expect(items[1]).toMatch(
    /^2026-11-23 10:00:00 UTC .*Revision 2 aborted: Rollout aborted update to revision 2/,
  );
  expect(items.some((t) => t.startsWith('2026-11-22 09:00:00 UTC') && t.includes('Revision 2 created'))).toBe(
    true,
  );
  expect(history.querySelector('b')).toBeNull();

  const events = stub.gets.filter((u) => new URL(u).pathname.endsWith('/events'));
  expect(events).toHaveLength(1);
  expect(Object.fromEntries(new URL(events[0]!).searchParams)).toEqual({
    resourceNamespace: 'shop',
    resourceName: 'web',
    resourceUID: 'uid-web',
    appNamespace: 'argocd',
    project: 'default',
  });
});

test('History says plainly when Events cannot be read and still shows the status entries', async () => {
  stubFetch({});
  render(<RolloutTab resource={canaryPaused()} tree={twoRevisionTree()} application={application} />);
  await userEvent.click(screen.getByRole('tab', { name: 'History' }));
  const history = screen.getByRole('region', { name: 'History' });
  expect(await within(history).findByText(/Events could not be read: GET .* 404/)).toBeTruthy();
  expect(within(history).getByText('Paused: CanaryPauseStep')).toBeTruthy();
});

test('All Rollouts: one row per Rollout with status, step, weights, ready counts and a link to select it', async () => {
  window.history.replaceState(
    null,
    '',
    '/applications/argocd/shop?node=argoproj.io%2FRollout%2Fshop%2Fweb%2F0&tab=extension-0',
  );
  const stub = stubFetch({ objects: { api: apiRollout() } });
  render(<RolloutTab resource={canaryPaused()} tree={treeWithApi()} application={application} />);
  await userEvent.click(screen.getByRole('tab', { name: 'All Rollouts' }));
  const table = screen.getByRole('table', { name: 'Rollouts' });
  await within(table).findByText('BlueGreenPause');
  const rows = within(table).getAllByRole('row').slice(1);
  expect(rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent))).toEqual([
    ['apishop', 'PausedBlueGreenPause', '–', '–', '6/3'],
    ['webshop', 'PausedCanaryPauseStep', '2/5', '20% set, 20% actual', '5/5'],
  ]);
  expect(rows[1]?.getAttribute('aria-current')).toBe('true');
  const link = within(rows[0]!).getByRole('link', { name: 'api' });
  expect(link.getAttribute('href')).toBe(
    'http://localhost/applications/argocd/shop?node=argoproj.io%2FRollout%2Fshop%2Fapi%2F0&tab=extension-0',
  );
  // The tab's own Rollout is not read again; the other one is read through Argo CD.
  const rolloutReads = stub.gets
    .map((u) => new URL(u).searchParams)
    .filter((p) => p.get('kind') === 'Rollout');
  expect(rolloutReads.map((p) => p.get('resourceName'))).toEqual(['api']);
});

test('All Rollouts: an unreadable Rollout keeps its tree health; the table survives malformed objects', async () => {
  stubFetch({ objects: { api: 'forbidden' } });
  render(<RolloutTab resource={canaryPaused()} tree={treeWithApi()} application={application} />);
  await userEvent.click(screen.getByRole('tab', { name: 'All Rollouts' }));
  const table = screen.getByRole('table', { name: 'Rollouts' });
  expect(within(table).getByText('Suspended')).toBeTruthy();
  stubFetch({ objects: { api: { spec: 'x', status: [1] } } });
  const tree = treeWithApi();
  tree.nodes![tree.nodes!.length - 1]!.resourceVersion = '8';
  render(<RolloutTab resource={canaryPaused()} tree={tree} application={application} />);
  await userEvent.click(screen.getAllByRole('tab', { name: 'All Rollouts' })[1]!);
  expect(screen.getAllByRole('table', { name: 'Rollouts' })).toHaveLength(2);
});

test('switching back to This Rollout shows the summary again', async () => {
  stubFetch({});
  render(<RolloutTab resource={canaryPaused()} tree={twoRevisionTree()} application={application} />);
  await userEvent.click(screen.getByRole('tab', { name: 'All Rollouts' }));
  expect(screen.queryByRole('region', { name: 'Summary' })).toBeNull();
  await userEvent.click(screen.getByRole('tab', { name: 'This Rollout' }));
  expect(screen.getByRole('region', { name: 'Summary' })).toBeTruthy();
});
