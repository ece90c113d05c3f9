// `make demo` in its CI mode: `node test/demo/demo.ts --once` starts its own control plane, runs
// the controller, walks the canary from blue to yellow (promoting the indefinite pause itself, its
// analysis step passing on the demo's web metric),
// then the blue-green sample from blue to green through its preview, and exits 0 once both are
// Healthy, having printed the host page's URL. While the demo
// runs, the URL is opened in chromium: the tab shows the demo Rollout from the demo's cluster, and
// its History view lists the controller's Events through the page's events route. The screenshot
// goes to test/browser/artifacts/react19-demo.png.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { launchChromium } from '../browser/chromium.ts';

const DEMO = join(import.meta.dirname, 'demo.ts');
const LIMIT_MS = 170_000;
const ARTIFACTS = join(import.meta.dirname, '..', 'browser', 'artifacts');

/** Opens the demo's page: the tab, then its History; returns page errors and History's text. */
async function lookAtPage(url: string): Promise<{ problems: string[]; summary: string; history: string }> {
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => void (msg.type() === 'error' && problems.push(`console: ${msg.text()}`)));
    await page.goto(url);
    const panel = page.getByRole('tabpanel', { name: 'Rollout' });
    const summary = panel.getByRole('region', { name: 'Summary' });
    await summary.waitFor({ timeout: 30_000 });
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'react19-demo.png'), fullPage: true });
    const summaryText = await summary.innerText();
    await panel.getByRole('tab', { name: 'History' }).click();
    const history = panel.getByRole('region', { name: 'History' });
    await history.getByText('NewReplicaSetCreated').first().waitFor({ timeout: 30_000 });
    return { problems, summary: summaryText, history: await history.innerText() };
  } finally {
    await browser.close();
  }
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
  });
}

test('make demo --once walks the canary (analysis passing) and the blue-green sample, rolls a failing green canary back, and prints the Rollout tab URL', async () => {
  const child = spawn(process.execPath, [DEMO, '--once'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let treeChecked: Promise<{ status: number; body: string }> | undefined;
  let looked: Promise<Awaited<ReturnType<typeof lookAtPage>>> | undefined;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    const seen = /on this cluster: ((http:\/\/127\.0\.0\.1:\d+\/)\S*)/.exec(out);
    if (seen?.[1] !== undefined && seen[2] !== undefined && treeChecked === undefined) {
      treeChecked = httpGet(`${seen[2]}api/v1/applications/local/resource-tree`);
      looked = lookAtPage(seen[1]);
      // Awaited below; a rejection before then must not count as unhandled.
      looked.catch(() => undefined);
    }
  });
  child.stderr.on('data', (chunk: string) => (out += chunk));
  const timer = setTimeout(() => child.kill('SIGINT'), LIMIT_MS);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`demo exited with ${String(code)}; its output:\n${out}`);

  expect(out).toMatch(/Paused \(CanaryPauseStep\) · step 2\/8 pause \(until promoted\) · set weight 20%/);
  expect(out).toContain('promoting the indefinite pause');
  // The analysis step at 40% passes: yellow's success rate meets the threshold.
  expect(out).toMatch(/step 4\/8 analysis success-rate/);
  expect(out).toMatch(
    /the analysis step passed: AnalysisRun rollouts-demo-\w+-2-3 Successful: success-rate 0\.99 \(≥ 0\.95\)/,
  );
  expect(out).toMatch(/Healthy · step 8\/8 done · set weight 100% · yellow \(stable\) 5\/5 ready/);
  expect(out).toMatch(/the Rollout tab: http:\/\/127\.0\.0\.1:\d+\/applications\/local\?node=/);
  // The blue-green sample: green previewed while blue stays active, promoted, then active.
  expect(out).toMatch(
    /Paused \(BlueGreenPause\) · active → blue · preview → green · green \(preview\) 3\/3 ready/,
  );
  expect(out).toMatch(
    /Healthy · active → green · preview → green · green \(stable, active, preview\) 3\/3 ready/,
  );
  expect(out).toContain('Healthy: rollouts-demo:green is active');
  // The green canary's analysis fails and the controller rolls it back by itself, saying why.
  expect(out).toContain(
    'rolled back automatically; the Rollout says why: RolloutAborted: Rollout aborted update to revision 3: ' +
      'Step-based analysis phase error/failed: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
  );
  expect(out).toMatch(/0\.82.*result >= 0\.95/);
  // The page answered from the demo's cluster while it ran.
  expect(treeChecked).toBeDefined();
  const tree = await treeChecked!;
  if (tree.status !== 200) throw new Error(`resource tree: ${tree.status} ${tree.body}\n${out}`);
  expect(tree.body).toContain('"name":"rollouts-demo"');
  const page = await looked!;
  expect(page.problems).toEqual([]);
  expect(page.summary).toContain('argoproj/rollouts-demo:');
  expect(page.history).toContain('NewReplicaSetCreated');
});
