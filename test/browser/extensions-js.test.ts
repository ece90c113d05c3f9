// /extensions.js as argocd-server joins it, on a real directory tree.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { EXTENSION_FILE, extensionFiles, extensionsJs } from './extensions-js.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rollout-kit-extensions-js-'));
  const files: Record<string, string> = {
    'resources/extension-rollout.js/extension-rollout.js': 'window.order.push("rollout");',
    'resources/extension-rollout.js/extension-0-ROLLOUT_vars.js': 'window.order.push("vars");',
    'resources/b/extension.js': 'window.order.push("b");',
    'resources/a/deeper/extensions-x.js': 'window.order.push("a");',
    'resources/a/my-extension.js': 'window.order.push("not served: name");',
    'resources/a/extension.mjs': 'window.order.push("not served: .mjs");',
    'resources/Z/extension-upper.js': 'window.order.push("Z");',
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await symlink(join(dir, 'resources/b/extension.js'), join(dir, 'resources/b/extension-link.js'));
  await symlink(join(dir, 'resources/b'), join(dir, 'resources/c-linked-dir'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test.each([
  { name: 'extension-rollout.js', served: true },
  { name: 'extensions-Rollout.js', served: true },
  { name: 'extension.js', served: true },
  { name: 'my-extension.js', served: false },
  { name: 'extension.mjs', served: false },
  { name: 'extension-rollout.js.map', served: false },
])('the file rule: $name served: $served', ({ name, served }) => {
  expect(EXTENSION_FILE.test(name)).toBe(served);
});

test('walks in byte order, into subdirectories, skipping symlinks and other names', async () => {
  const files = (await extensionFiles(dir)).map((f) => f.slice(dir.length + 1));
  expect(files).toEqual([
    'resources/Z/extension-upper.js',
    'resources/a/deeper/extensions-x.js',
    'resources/b/extension.js',
    'resources/extension-rollout.js/extension-0-ROLLOUT_vars.js',
    'resources/extension-rollout.js/extension-rollout.js',
  ]);
});

test('a missing directory serves an empty script', async () => {
  await expect(extensionsJs(join(dir, 'nothing-here'), { wrap: true })).resolves.toBe('');
});

test.each([{ wrap: false }, { wrap: true }])(
  'the joined script runs every file in order (wrap: $wrap)',
  async ({ wrap }) => {
    const script = await extensionsJs(dir, { wrap });
    expect(script).toContain(`// source: ${join(dir, 'resources/b/extension.js')}/extension.js \n`);
    const context = { window: { order: [] as string[] }, console };
    vm.runInNewContext(script, context);
    expect(context.window.order).toEqual(['Z', 'a', 'b', 'vars', 'rollout']);
  },
);

test('Argo CD 3.5+ isolates a file that throws; before 3.5 it stops the files after it', async () => {
  const broken = await mkdtemp(join(tmpdir(), 'rollout-kit-extensions-broken-'));
  try {
    await writeFile(join(broken, 'extension-a.js'), 'throw new Error("bad extension");');
    await writeFile(join(broken, 'extension-b.js'), 'window.order.push("b");');
    const logged: unknown[][] = [];
    const wrapped = {
      window: { order: [] as string[] },
      console: { error: (...args: unknown[]) => logged.push(args) },
    };
    vm.runInNewContext(await extensionsJs(broken, { wrap: true }), wrapped);
    expect(wrapped.window.order).toEqual(['b']);
    expect(logged[0]?.[0]).toBe('Extension extension-a.js failed to load:');

    const plain = { window: { order: [] as string[] }, console };
    const script = await extensionsJs(broken, { wrap: false });
    expect(() => vm.runInNewContext(script, plain)).toThrow('bad extension');
    expect(plain.window.order).toEqual([]);
  } finally {
    await rm(broken, { recursive: true, force: true });
  }
});
