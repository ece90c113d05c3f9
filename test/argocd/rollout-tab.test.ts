// The Rollout tab inside a real Argo CD. Our installer runs as argocd-server's init container
// would (a private mount namespace, the extensions volume at /tmp/extensions; the machine's own
// /tmp/extensions is never touched) and fills the directory argocd-server serves extensions
// from; GET /extensions.js from the real argocd-server returns our bundle. Then headless Chromium
// opens a host page served by argocd-server itself, signs in through Argo CD's session API, loads
// the real /extensions.js, renders the tab with the application, resource and tree from the real
// API, and clicks Promote: the Rollout advances in the cluster. Screenshots of every stage go to
// test/browser/artifacts/ (git-ignored); any page or console error fails the test.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchChromium, type Chromium } from '../browser/chromium.ts';
import { buildExtensionTar } from '../browser/extension-tar.ts';
import { extensionFiles, extensionsJs } from '../browser/extensions-js.ts';
import { watchedPage, type Watched } from '../browser/watched-page.ts';
import { ensureBundle, sha256, startLoopback } from '../fixtures/installer/harness.ts';
import { controllerPerFile } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { login } from './argocd-api.ts';
import { argoCdPerFile } from './argocd-per-file.ts';
import { deployGitOpsApp } from './gitops-app.ts';
import { runInstallerInitContainer, type InstallerRun } from './install-extension.ts';
import { HOST_PAGE, LOGIN_PAGE, writeHostPage } from './static-host-page.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test', 'browser', 'artifacts');
const TIMEOUT = 30_000;
/** Whether the machine had a /tmp/extensions before this file ran (it must stay as it was). */
const machineHadExtensions = existsSync('/tmp/extensions');

let installer: InstallerRun;
let tarDigest: string;

const ns = namespacePerTest();
controllerPerFile('argocd-tab');
const env = argoCdPerFile({
  name: 'tab',
  // The init container: download extension.tar (and its checksum) over HTTP and install it.
  async initContainer({ extensionsDir, workDir }) {
    const tar = await buildExtensionTar(join(workDir, 'build'));
    const bytes = await readFile(tar);
    tarDigest = sha256(bytes);
    const loopback = await startLoopback();
    try {
      const url = loopback.serveBytes('/v1/extension.tar', bytes);
      const checksums = loopback.serveBytes('/v1/extension_checksums.txt', `${tarDigest}  extension.tar\n`);
      installer = await runInstallerInitContainer({
        bundle: ensureBundle(join(ROOT, 'installer')),
        privateTmp: join(workDir, 'installer-tmp'),
        extensionsDir,
        env: {
          EXTENSION_URL: url,
          EXTENSION_CHECKSUM_URL: checksums,
          EXTENSION_NAME: 'rollout',
          EXTENSION_VERSION: 'test',
        },
      });
    } finally {
      await loopback.close();
    }
    if (installer.code !== 0)
      throw new Error(`the installer failed (exit ${installer.code}):\n${installer.output}`);
  },
});

test('the installer fills argocd-server extensions directory and /extensions.js serves our bundle', async () => {
  expect(installer.output).toMatch(/Elapsed Time: \d+ ms/);
  const files = await extensionFiles(env.argocd.extensionsDir);
  expect(files.map((f) => f.slice(env.argocd.extensionsDir.length))).toEqual([
    '/resources/extension-rollout.js/extension-rollout.js',
  ]);

  const response = await fetch(new URL('extensions.js', env.argocd.url));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/javascript/);
  const served = await response.text();
  // argocd-server names each file by its path in its own mount namespace.
  const expected = (await extensionsJs(env.argocd.extensionsDir, { wrap: true })).replaceAll(
    env.argocd.extensionsDir,
    '/tmp/extensions',
  );
  expect(served).toBe(expected);
  expect(served).toContain(await readFile(files[0]!, 'utf8'));
  // The machine's own /tmp/extensions was neither created nor removed.
  expect(existsSync('/tmp/extensions')).toBe(machineHadExtensions);
});

async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `argocd-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Waits until the tab's summary text matches `pattern` (the tab re-renders as Argo CD's data moves). */
async function summaryShows(summary: Locator, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + TIMEOUT;
  let text = '';
  while (Date.now() < deadline) {
    text = await summary.innerText();
    if (pattern.test(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the Rollout tab's summary never matched ${String(pattern)}; it shows:\n${text}`);
}

describe('in Chromium', () => {
  let browser: Chromium;
  // Unset when a set-up before it failed.
  let watched: Watched | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    watched = await watchedPage(browser);
  });
  afterEach(async () => {
    // Not there when a set-up before it failed: that failure is the one to report.
    if (!watched) return;
    await watched.page.close();
    // After close, so errors logged by a late render still count.
    expect(watched.problems).toEqual([]);
    watched = undefined;
  });

  test('signs in, renders the Rollout tab from the real API and promotes the canary', async () => {
    const session = await login(env.argocd.url, 'admin', env.argocd.admin.password);
    const app = await deployGitOpsApp({
      session,
      git: env.git,
      argocdNamespace: env.argocd.namespace,
      namespace: ns.name,
      first: { image: 'argoproj/rollouts-demo:blue' },
    });
    await app.waitForApp('Synced', 'Healthy');
    await app.commit({ image: 'argoproj/rollouts-demo:yellow' }, 'yellow');
    await app.waitForRollout(
      'the canary to pause at step 1',
      (r) => r.status?.currentStepIndex === 1 && r.status.phase === 'Paused',
    );
    await app.waitForRolloutHealth('Suspended');

    await writeHostPage(
      env.argocd.staticAssetsDir,
      {
        metadata: { name: app.name, namespace: env.argocd.namespace },
        spec: {
          project: 'default',
          destination: { server: 'https://kubernetes.default.svc', namespace: ns.name },
        },
      },
      1_000,
    );
    if (!watched) throw new Error('no page: the set-up before the test failed');
    const { page } = watched;
    const node = encodeURIComponent(`argoproj.io/Rollout/${ns.name}/web/0`);
    await page.goto(new URL(`${LOGIN_PAGE}?node=${node}&tab=extension-0`, env.argocd.url).toString());
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(env.argocd.admin.password);
    const signIn = await screenshot(page, '1-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === `/${HOST_PAGE}`, { timeout: TIMEOUT });

    const panel = page.getByRole('tabpanel', { name: 'Rollout' });
    const summary = panel.getByRole('region', { name: 'Summary' });
    await summary.waitFor({ timeout: TIMEOUT });
    expect(await summary.innerText()).toMatch(/Status\s+Paused\s*CanaryPauseStep/);
    expect(await summary.innerText()).toMatch(/Step\s+2\/4/);
    expect(await summary.innerText()).toContain('argoproj/rollouts-demo:yellow');
    await expect(panel.getByRole('alert').count()).resolves.toBe(0);
    const paused = await screenshot(page, '2-paused-at-step-1');

    await panel.getByRole('button', { name: 'Promote', exact: true }).click();
    await app.waitForRollout(
      'the promoted canary to pause at step 3',
      (r) => r.status?.currentStepIndex === 3,
    );
    await app.waitForRolloutHealth('Suspended');
    // The page re-reads the tree every second, and the live Rollout when its resourceVersion moves.
    await panel.getByText('Promote: requested').waitFor({ timeout: TIMEOUT });
    await summaryShows(summary, /Step\s+4\/4/);
    const promoted = await screenshot(page, '3-promoted-to-step-3');

    await panel.getByRole('button', { name: 'Promote', exact: true }).click();
    await app.waitForRollout(
      'yellow to be promoted',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === r.status.currentPodHash,
    );
    await app.waitForRolloutHealth('Healthy');
    await summaryShows(summary, /Status\s+Healthy/);
    expect(await summary.innerText()).not.toContain('argoproj/rollouts-demo:blue');
    const healthy = await screenshot(page, '4-healthy');
    process.stderr.write(`[argocd] screenshots: ${[signIn, paused, promoted, healthy].join(', ')}\n`);
  });
});
