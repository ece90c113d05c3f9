// The Rollout tab in a real browser: headless Debian chromium loads extension.tar the way
// argocd-server serves it into a host page that follows Argo CD's extension contract, once with
// the React 19 of Argo CD 3.5+ and once with the React 16.14 of Argo CD 2.5–3.4. For fixture
// Rollouts it checks the tab renders, then clicks an action and checks the exact request the
// page sent. Any page error, console error or request off 127.0.0.1 fails the test. Screenshots
// go to test/browser/artifacts/ (git-ignored). This test needs no control plane.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './argocd-tree.ts';
import { launchChromium, type Chromium } from './chromium.ts';
import { watchedPage, type Watched } from './watched-page.ts';
import { prepareExtensions } from './extension-tar.ts';
import {
  startHost,
  type Host,
  type HostApplication,
  type ReactLine,
  type RecordedRequest,
} from './host-server.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rollouts');
const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const TIMEOUT = 20_000;

const application: HostApplication = {
  metadata: { name: 'shop', namespace: 'argocd' },
  spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' } },
};

async function fixture(name: string): Promise<KubeObject[]> {
  const docs = parseAllDocuments(await readFile(join(FIXTURES, `${name}.yaml`), 'utf8'));
  return docs.map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${name}.yaml: ${doc.errors[0]?.message ?? ''}`);
    return doc.toJS() as KubeObject;
  });
}

/** Opens the Rollout's tab and waits until the tab (not the host's loading text) shows. */
async function openRollout(watched: Watched, host: Host, name: string) {
  const node = encodeURIComponent(`argoproj.io/Rollout/shop/${name}/0`);
  await watched.page.goto(`${host.url}applications/shop?node=${node}&tab=extension-0`);
  const panel = watched.page.getByRole('tabpanel', { name: 'Rollout' });
  await panel.getByRole('region', { name: 'Summary' }).waitFor({ timeout: TIMEOUT });
  return panel;
}

/** Waits for the `n`th action request the host received. */
async function actionRequest(host: Host, n: number): Promise<RecordedRequest> {
  const deadline = Date.now() + TIMEOUT;
  while (host.actions.length < n) {
    if (Date.now() > deadline)
      throw new Error(`waited ${TIMEOUT} ms for action request ${n}; got ${host.actions.length}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return host.actions[n - 1]!;
}

function v2Body(resourceName: string, action: string) {
  return {
    appNamespace: 'argocd',
    namespace: 'shop',
    resourceName,
    version: 'v1alpha1',
    kind: 'Rollout',
    group: 'argoproj.io',
    action,
    project: 'default',
  };
}

/**
 * Runs in the page: the WCAG contrast ratio of every piece of text in the Rollout tab against
 * what is painted behind it (backgrounds composed from the root down, the text's colour faded by
 * its own and its ancestors' opacity). A string, because this file has no DOM types.
 */
const TEXT_CONTRAST = `(() => {
  const panel = document.querySelector('[role=tabpanel]');
  if (panel === null) return [];
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c);
    if (m === null) return [0, 0, 0, 0];
    const p = m[1].split(',').map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const blend = (fg, bg, a) => [0, 1, 2].map((i) => fg[i] * a + bg[i] * (1 - a));
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const luminance = (c) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const behind = (el) => {
    const chain = [];
    for (let e = el; e !== null; e = e.parentElement) chain.unshift(e);
    let bg = [255, 255, 255];
    for (const e of chain) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) bg = blend(c, bg, c[3]);
    }
    return bg;
  };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e !== null; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  const out = [];
  const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
    const text = (n.textContent || '').trim();
    const el = n.parentElement;
    if (text === '' || el === null || el.getClientRects().length === 0) continue;
    const colour = parse(getComputedStyle(el).color);
    const bg = behind(el);
    const fg = blend(colour, bg, colour[3] * opacity(el));
    const a = luminance(fg);
    const b = luminance(bg);
    out.push({ text: text.slice(0, 40), ratio: Math.round(((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) * 100) / 100 });
  }
  return out;
})()`;

async function screenshot(page: Page, line: ReactLine, name: string) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `react${line}-${name}.png`), fullPage: true });
}

let work: string;
let extensionsDir: string;
let browser: Chromium;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rollout-kit-browser-'));
  ({ extensionsDir } = await prepareExtensions(work));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe.each<ReactLine>(['19', '16'])('the Rollout tab on React %s', (line) => {
  let host: Host;
  let v2Missing = false;
  let watched: Watched;

  beforeAll(async () => {
    const objects = [
      ...(await fixture('canary-paused')),
      ...(await fixture('canary-aborted')),
      ...(await fixture('bluegreen-preview')),
    ];
    host = await startHost({
      react: line,
      extensionsDir,
      backend: {
        application,
        objects: async () => objects,
        // An Argo CD older than 3.1 answers the v2 route with 404.
        action: async (req) =>
          v2Missing && req.path.endsWith('/v2')
            ? { status: 404, body: { error: 'Not Found', code: 5, message: 'Not Found' } }
            : { status: 200, body: {} },
      },
    });
  });

  afterAll(async () => {
    await host?.close();
  });

  beforeEach(async () => {
    host.actions.length = 0;
    v2Missing = false;
    watched = await watchedPage(browser);
  });

  afterEach(async () => {
    await watched.page.close();
    // After close, so errors logged by a late render still count.
    expect(watched.problems).toEqual([]);
  });

  test('registers one resource tab for argoproj.io/Rollout, as Argo CD expects', async () => {
    await openRollout(watched, host, 'checkout');
    const seen = await watched.page.evaluate(() => {
      // Runs in the page: the browser global object, typed by hand (this file has no DOM types).
      const w = globalThis as unknown as {
        React: { version: string };
        __rolloutKitHost: {
          resources: { group: string; kind: string; title: string; icon?: string }[];
          systemLevel: unknown[];
          appViews: unknown[];
          statusPanels: unknown[];
          topBar: unknown[];
          errors: string[];
        };
      };
      const r = w.__rolloutKitHost;
      return {
        react: w.React.version,
        resources: r.resources.map(({ group, kind, title, icon }) => ({ group, kind, title, icon })),
        others: r.systemLevel.length + r.appViews.length + r.statusPanels.length + r.topBar.length,
        errors: r.errors,
      };
    });
    expect(seen.react.split('.')[0]).toBe(line);
    expect(seen.resources).toEqual([
      { group: 'argoproj.io', kind: 'Rollout', title: 'Rollout', icon: expect.stringMatching(/^fa-/) },
    ]);
    expect(seen.others).toBe(0);
    expect(seen.errors).toEqual([]);
    await expect(
      watched.page.getByRole('tab', { name: 'Rollout', exact: true }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
  });

  test('paused canary: shows the pause and promote sends resume through the v2 route', async () => {
    const panel = await openRollout(watched, host, 'checkout');
    const summary = await panel.getByRole('region', { name: 'Summary' }).innerText();
    expect(summary).toMatch(/Paused/);
    expect(summary).toMatch(/CanaryPauseStep/);
    expect(summary).toContain('argoproj/rollouts-demo:yellow');
    await expect(panel.getByRole('region', { name: 'Steps' }).isVisible()).resolves.toBe(true);
    await expect(panel.getByRole('alert').count()).resolves.toBe(0);
    await screenshot(watched.page, line, 'canary-paused');

    await panel.getByRole('button', { name: 'Promote', exact: true }).click();
    const request = await actionRequest(host, 1);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/v1/applications/shop/resource/actions/v2');
    expect(request.query).toEqual({});
    expect(request.contentType).toBe('application/json');
    expect(request.cookie).toContain('argocd.token=host-page-session');
    expect(JSON.parse(request.body)).toEqual(v2Body('checkout', 'resume'));
    await panel.getByText('Promote: requested').waitFor({ timeout: TIMEOUT });
    expect(host.actions).toHaveLength(1);
  });

  test('paused canary on an Argo CD before 3.1: promote falls back to the v1 route', async () => {
    v2Missing = true;
    const panel = await openRollout(watched, host, 'checkout');
    await panel.getByRole('button', { name: 'Promote', exact: true }).click();
    const request = await actionRequest(host, 2);
    expect(host.actions[0]?.path).toBe('/api/v1/applications/shop/resource/actions/v2');
    expect(request.path).toBe('/api/v1/applications/shop/resource/actions');
    expect(request.query).toEqual({
      appNamespace: 'argocd',
      namespace: 'shop',
      resourceName: 'checkout',
      version: 'v1alpha1',
      kind: 'Rollout',
      group: 'argoproj.io',
    });
    expect(request.contentType).toBe('application/json');
    expect(request.body).toBe('"resume"');
    await panel.getByText('Promote: requested').waitFor({ timeout: TIMEOUT });
    // The browser logs the v2 404 as a failed resource load: expected here, not a page error.
    watched.problems.splice(
      0,
      watched.problems.length,
      ...watched.problems.filter((p) => !/status of 404/.test(p)),
    );
  });

  test('aborted canary: shows Degraded with the reason, offers retry instead of promote', async () => {
    const panel = await openRollout(watched, host, 'payments');
    const summary = await panel.getByRole('region', { name: 'Summary' }).innerText();
    expect(summary).toMatch(/Degraded/);
    expect(summary).toMatch(/Rollout aborted update to revision 3/);
    await expect(panel.getByRole('button', { name: 'Promote', exact: true }).count()).resolves.toBe(0);
    await expect(panel.getByRole('alert').count()).resolves.toBe(0);
    await screenshot(watched.page, line, 'canary-aborted');

    await panel.getByRole('button', { name: 'Retry', exact: true }).click();
    const request = await actionRequest(host, 1);
    expect(request.path).toBe('/api/v1/applications/shop/resource/actions/v2');
    expect(request.contentType).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual(v2Body('payments', 'retry'));
  });

  test.each(['light', 'dark'])(
    '%s theme: every text of the tab has a contrast of 4.5:1 or more',
    async (theme) => {
      const node = encodeURIComponent('argoproj.io/Rollout/shop/payments/0');
      await watched.page.goto(`${host.url}applications/shop?node=${node}&tab=extension-0&theme=${theme}`);
      const panel = watched.page.getByRole('tabpanel', { name: 'Rollout' });
      await panel.getByRole('region', { name: 'Revisions' }).waitFor({ timeout: TIMEOUT });
      await expect(watched.page.locator('body').getAttribute('class')).resolves.toBe(`theme-${theme}`);
      const texts = (await watched.page.evaluate(TEXT_CONTRAST)) as { text: string; ratio: number }[];
      // Summary, steps, revisions and their badges are all in view.
      expect(texts.length).toBeGreaterThan(30);
      expect(texts.filter((t) => t.ratio < 4.5)).toEqual([]);
      await screenshot(watched.page, line, `canary-aborted-${theme}`);
    },
  );

  test('blue-green with preview: shows active and preview, promote sends resume', async () => {
    const panel = await openRollout(watched, host, 'storefront');
    const text = await panel.innerText();
    expect(text).toMatch(/BlueGreenPause/);
    expect(text).toMatch(/active/i);
    expect(text).toMatch(/preview/i);
    expect(text).toContain('argoproj/rollouts-demo:green');
    await expect(panel.getByRole('alert').count()).resolves.toBe(0);
    await screenshot(watched.page, line, 'bluegreen-preview');

    await panel.getByRole('button', { name: 'Promote', exact: true }).click();
    const request = await actionRequest(host, 1);
    expect(request.path).toBe('/api/v1/applications/shop/resource/actions/v2');
    expect(request.contentType).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual(v2Body('storefront', 'resume'));
  });
});
