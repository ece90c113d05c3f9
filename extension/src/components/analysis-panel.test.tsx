import { render, screen, within } from '@testing-library/react';
import * as React from 'react';
import { failedStepRun, treeWithRuns } from '../model/analysis-fixtures.ts';
import type { Application } from '../model/argocd.ts';
import { canaryPaused } from '../model/fixtures.ts';
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

function renderTab(tree = treeWithRuns()) {
  return render(<RolloutTab resource={canaryPaused()} tree={tree} application={application} />);
}

test('a failed step run shows its message, counts, each measurement against its condition, and a chart', async () => {
  const stub = stubFetch({ objects: { 'web-7b9c5d6f48-2-2': failedStepRun() } });
  renderTab();
  const panel = screen.getByRole('region', { name: 'Analysis runs' });
  const run = within(panel).getByRole('article', { name: 'Analysis run web-7b9c5d6f48-2-2' });
  expect(
    await within(run).findByText(
      'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
    ),
  ).toBeTruthy();
  expect(
    within(run).getByText(
      'Step (step 3) · revision 2 · 2 metrics: 1 successful, 1 failed, 0 inconclusive, 0 error',
    ),
  ).toBeTruthy();

  const rate = within(run).getByRole('listitem', { name: 'Metric success-rate' });
  expect(within(rate).getByText('successCondition: result[0] >= 0.95')).toBeTruthy();
  expect(within(rate).getByText('3 measured: 2 successful, 1 failed, 0 inconclusive, 0 error')).toBeTruthy();
  const rows = within(within(rate).getByRole('table')).getAllByRole('row').slice(1);
  expect(rows.map((r) => r.textContent)).toEqual([
    '10:00:01 UTC[0.99]SuccessfulsuccessCondition result[0] >= 0.95 held',
    '10:00:12 UTC[0.97]SuccessfulsuccessCondition result[0] >= 0.95 held',
    '10:00:23 UTC[0.42]FailedsuccessCondition result[0] >= 0.95 did not hold',
  ]);
  const chart = within(rate).getByRole('img', {
    name: 'Values of success-rate over time, from 0.42 to 0.99',
  });
  expect(chart.querySelectorAll('circle')).toHaveLength(3);

  const latency = within(run).getByRole('listitem', { name: 'Metric latency' });
  expect(within(latency).getByText('consecutiveErrors (5) > consecutiveErrorLimit (4)')).toBeTruthy();
  expect(within(latency).getByText('received non 2xx response code: 503')).toBeTruthy();
  // One value cannot make a line: no chart for a metric without two numeric values.
  expect(within(latency).queryByRole('img')).toBeNull();

  // Each run is read once, through Argo CD's resource API.
  const reads = stub.gets.map((u) => new URL(u).searchParams);
  expect(reads.map((p) => [p.get('kind'), p.get('group'), p.get('version'), p.get('resourceName')])).toEqual(
    expect.arrayContaining([
      ['AnalysisRun', 'argoproj.io', 'v1alpha1', 'web-7b9c5d6f48-2-2'],
      ['AnalysisRun', 'argoproj.io', 'v1alpha1', 'web-6d4f8b7c9f-1'],
    ]),
  );
});

test('a run is read again only when its resourceVersion changes', async () => {
  const stub = stubFetch({ objects: { 'web-7b9c5d6f48-2-2': failedStepRun() } });
  const { rerender } = renderTab();
  await screen.findByText(/assessed Failed due to/);
  const runReads = () => stub.gets.filter((u) => u.includes('resourceName=web-7b9c5d6f48-2-2')).length;
  expect(runReads()).toBe(1);
  rerender(<RolloutTab resource={canaryPaused()} tree={treeWithRuns()} application={application} />);
  expect(runReads()).toBe(1);
  const tree = treeWithRuns();
  const node = tree.nodes?.find((n) => n.name === 'web-7b9c5d6f48-2-2');
  if (node !== undefined) node.resourceVersion = '43';
  rerender(<RolloutTab resource={canaryPaused()} tree={tree} application={application} />);
  await screen.findByText(/assessed Failed due to/);
  expect(runReads()).toBe(2);
  // The other run did not change: it is not read again.
  expect(stub.gets.filter((u) => u.includes('resourceName=web-6d4f8b7c9f-1'))).toHaveLength(1);
});

test('an unreadable run shows the error and the tree health; HTML in a message is text', async () => {
  const run = failedStepRun();
  (run.status as Record<string, unknown>).message = '<img src=x onerror=alert(1)><script>alert(2)</script>';
  stubFetch({ objects: { 'web-7b9c5d6f48-2-2': run, 'web-6d4f8b7c9f-1': 'forbidden' } });
  const { container } = renderTab();
  expect(await screen.findByText('<img src=x onerror=alert(1)><script>alert(2)</script>')).toBeTruthy();
  expect(container.querySelector('script, img')).toBeNull();
  const old = screen.getByRole('article', { name: 'Analysis run web-6d4f8b7c9f-1' });
  expect(await within(old).findByText(/Could not read the run: GET .* 403/)).toBeTruthy();
  expect(within(old).getByText('Healthy')).toBeTruthy();
});

test('a malformed run object does not break the tab', async () => {
  stubFetch({
    objects: {
      'web-7b9c5d6f48-2-2': { status: { metricResults: [{ name: 'm', measurements: 'x' }], runSummary: 3 } },
    },
  });
  renderTab();
  expect(await screen.findByRole('listitem', { name: 'Metric m' })).toBeTruthy();
  expect(screen.getByRole('region', { name: 'Summary' })).toBeTruthy();
});

test('no runs in the tree: no analysis section and no reads', () => {
  const tree = treeWithRuns();
  tree.nodes = tree.nodes?.filter((n) => n.kind !== 'AnalysisRun');
  const stub = stubFetch({});
  renderTab(tree);
  expect(screen.queryByRole('region', { name: 'Analysis runs' })).toBeNull();
  expect(stub.gets.filter((u) => u.includes('AnalysisRun'))).toEqual([]);
});
