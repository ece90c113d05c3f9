/**
 * @jest-environment node
 */
/// <reference types="node" />
// The shipped artifact itself: built in memory, loaded the way Argo CD loads it (a plain script
// in a page whose window has React and extensionsAPI), registering and rendering the tab.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import vm from 'node:vm';
import * as React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { list } from 'tar';
import { BUNDLE_PATH, bundle, checkParses, checkReact16, pack } from '../build.mjs';
import { canaryPaused, twoRevisionTree } from './model/fixtures.ts';

let code = '';
beforeAll(async () => {
  code = await bundle();
}, 60_000);

type Registration = [React.ComponentType<Record<string, unknown>>, string, string, string, { icon?: string }];

/** Runs the bundle as a classic script in a fresh context; returns that context's global object. */
function load(window: Record<string, unknown>): Record<string, unknown> {
  const context: Record<string, unknown> = { window, console };
  vm.runInNewContext(code, context, { filename: 'extension-rollout.js' });
  return context;
}

test('the bundle parses alone and inside the try/catch Argo CD 3.5+ wraps each file in', () => {
  expect(() => checkParses(code)).not.toThrow();
  expect(() => checkReact16(code)).not.toThrow();
});

test.each([
  // vm's SyntaxError comes from another realm than Jest's, so match the message.
  { name: 'a syntax error', script: 'var a = ;', want: /Unexpected token/ },
  { name: 'a top-level import', script: 'import x from "react";', want: /import statement outside a module/ },
  { name: 'a top-level export', script: 'export const x = 1;', want: /Unexpected token 'export'/ },
  // Parses inside the wrapper but not alone, so Argo CD ≤ 3.4 would choke on it.
  { name: 'code that escapes the wrapper', script: 'a();} catch (e) {} try {b()', want: /Unexpected token/ },
  { name: 'a use strict directive', script: '"use strict";var a=1;', want: /use strict/ },
  { name: 'a dynamic import', script: 'import("./x.js");', want: /at run time/ },
])('checkParses rejects $name', ({ script, want }) => {
  expect(() => checkParses(script)).toThrow(want);
});

test.each(['a.useId()', 'R.useSyncExternalStore(s,g)', 'React.use(p)'])(
  'checkReact16 rejects %s',
  (script) => {
    expect(() => checkReact16(script)).toThrow(/React 16/);
  },
);

test('the bundle bundles no React: it stays small and holds no React internals', () => {
  expect(code).not.toMatch(/__SECRET_INTERNALS|__CLIENT_INTERNALS|react\.production|ReactCurrentOwner/);
  expect(code).toContain('window.React');
});

test('loaded as a script, it registers the Rollout tab with the page React and renders it', () => {
  const calls: Registration[] = [];
  const extensionsAPI = { registerResourceExtension: (...args: Registration) => calls.push(args) };
  load({ React, extensionsAPI });
  expect(calls).toHaveLength(1);
  const [component, group, kind, title, opts] = calls[0]!;
  expect([group, kind, title]).toEqual(['argoproj.io', 'Rollout', 'Rollout']);
  expect(opts.icon).toMatch(/^fa-solid fa-/);
  const html = renderToStaticMarkup(
    React.createElement(component, {
      resource: canaryPaused(),
      tree: twoRevisionTree(),
      application: { metadata: { name: 'shop' } },
    }),
  );
  expect(html).toContain('CanaryPauseStep');
  expect(html).toContain('Revision 2');
});

test('a page without extensionsAPI: loads without throwing and registers nothing', () => {
  expect(() => load({ React })).not.toThrow();
  expect(() => load({ React, extensionsAPI: {} })).not.toThrow();
});

test('assigns no globals: neither window.extensions nor anything on the global object', () => {
  const window: Record<string, unknown> = {
    React,
    extensionsAPI: { registerResourceExtension: () => undefined },
  };
  const global = load(window);
  expect(Object.keys(window).sort()).toEqual(['React', 'extensionsAPI']);
  expect(Object.keys(global).sort()).toEqual(['console', 'window']);
});

describe('extension.tar', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rollout-tab-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('has the layout the installer and argocd-server expect, and a sha256sum file', async () => {
    const tar = join(dir, 'extension.tar');
    const { digest } = await pack(code, { dist: join(dir, 'dist'), tar });
    const entries: { path: string; type: string; size: number; mtime?: Date }[] = [];
    await list({
      file: tar,
      onReadEntry: (e) => entries.push({ path: e.path, type: e.type, size: e.size, mtime: e.mtime }),
    });
    expect(entries.map((e) => [e.path, e.type])).toEqual([
      ['resources/', 'Directory'],
      ['resources/extension-rollout.js/', 'Directory'],
      [BUNDLE_PATH, 'File'],
    ]);
    expect(entries[2]?.size).toBe(Buffer.byteLength(code));
    // argocd-server serves files whose base name matches this; the installer's vars lookup
    // wants a directory matching extension*-<name>*.js.
    expect(basename(BUNDLE_PATH)).toMatch(/^extension(.*)\.js$/);
    expect(BUNDLE_PATH.split('/')[1]).toMatch(/^extension.*-rollout.*\.js$/);

    const sum = await readFile(`${tar}.sha256`, 'utf8');
    const actual = createHash('sha256')
      .update(await readFile(tar))
      .digest('hex');
    expect(sum).toBe(`${actual}  extension.tar\n`);
    expect(digest).toBe(actual);
  });

  test('is reproducible: the same bundle gives the same checksum', async () => {
    const first = await pack(code, { dist: join(dir, 'a'), tar: join(dir, 'a.tar') });
    const second = await pack(code, { dist: join(dir, 'b'), tar: join(dir, 'b.tar') });
    expect(second.digest).toBe(first.digest);
  });
});
