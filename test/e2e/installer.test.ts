// The bundled installer (installer/dist/installer.mjs), run as a child process the way the init
// container runs it, against a real HTTP server on 127.0.0.1 and real temporary directories.
// Needs no control plane (only the pinned kubectl, for `kubectl kustomize`). Every failure case
// checks that the extensions installed before are still there, byte for byte, and that nothing
// was left beside them.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { binaryDirs, cacheDir, pinnedVersions } from '../control-plane/versions.ts';
import {
  ensureBundle,
  runBundle,
  servedByArgoCd,
  sha256,
  snapshot,
  startConnectProxy,
  startLoopback,
  type Handler,
  type Loopback,
  type Run,
} from '../fixtures/installer/harness.ts';
import { tarArchive, type TarEntry } from '../fixtures/installer/tar-writer.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const INSTALLER = join(ROOT, 'installer');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'installer');

let bundle: string;
let loopback: Loopback;
let base: string;
const serve = (path: string, handler: Handler): string => loopback.serve(path, handler);
const serveBytes = (path: string, body: Buffer | string): string => loopback.serveBytes(path, body);
const runInstaller = (env: Record<string, string>): Promise<Run> =>
  runBundle(bundle, { EXTENSIONS_DIR: extensionsDir, ...env });

// --- archives ------------------------------------------------------------------------------------

const ROLLOUT_DIR = 'resources/extension-rollout.js';
const v1: TarEntry[] = [
  { name: 'resources/', type: 'dir' },
  { name: `${ROLLOUT_DIR}/`, type: 'dir' },
  { name: `${ROLLOUT_DIR}/extension-rollout.js`, body: 'window.version = 1;\n' },
  { name: `${ROLLOUT_DIR}/old-only.css`, body: '.v1 {}\n' },
];
const v2: TarEntry[] = [
  { name: './resources/', type: 'dir' },
  { name: `./${ROLLOUT_DIR}/extension-rollout.js`, body: 'window.version = 2;\n' },
  { name: './README.md', body: 'not installed\n' },
];
const metrics: TarEntry[] = [
  { name: 'resources/extension-metrics.js/extension-metrics.js', body: 'metrics();\n' },
];

let work: string;
let extensionsDir: string;
/** What was installed before the case under test ran. */
let before: Record<string, string>;

beforeAll(async () => {
  bundle = ensureBundle(INSTALLER);
  loopback = await startLoopback();
  base = loopback.base;
}, 60_000);

afterAll(() => loopback.close());

beforeEach(async () => {
  loopback.reset();
  work = await mkdtemp(join(tmpdir(), 'installer-e2e-'));
  extensionsDir = join(work, 'extensions');
});

/** Two extensions installed earlier, as two init containers would; `before` is what they left. */
async function installTwoExtensions(): Promise<void> {
  for (const [path, entries] of [
    ['/metrics.tar', metrics],
    ['/v1.tar', v1],
  ] as const) {
    const run = await runInstaller({ EXTENSION_URL: serveBytes(path, tarArchive(entries)) });
    expect(run).toMatchObject({ code: 0 });
  }
  before = await snapshot(extensionsDir);
  expect(Object.keys(before)).toContain(`${ROLLOUT_DIR}/old-only.css`);
}

afterEach(async () => {
  loopback.reset();
  await rm(work, { recursive: true, force: true });
});

/** The checks every failure shares: the exit code, the message, and the old install untouched. */
async function expectFailure(run: Run, code: number, message: RegExp): Promise<void> {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code, stderr: '' });
  expect(run.stdout).toMatch(message);
  expect(run.stdout).toMatch(/ERROR: failed to install/);
  expect(run.stdout).toMatch(/Elapsed Time: \d+ ms\n$/);
  expect(await snapshot(extensionsDir)).toEqual(before);
}

describe('installs', () => {
  beforeEach(installTwoExtensions);

  test.each([
    { name: 'a plain tar', body: () => tarArchive(v2) },
    { name: 'a gzip tar, recognised by content and not by name', body: () => gzipSync(tarArchive(v2)) },
  ])('$name, replacing the old version and leaving the other extension', async ({ body }) => {
    const run = await runInstaller({ EXTENSION_URL: serveBytes('/download/extension.tar', body()) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/UI extension installed successfully/);
    expect(run.stdout).toMatch(/Elapsed Time: \d+ ms\n$/);
    const after = await snapshot(extensionsDir);
    expect(after).toEqual({
      resources: 'dir 755',
      'resources/extension-metrics.js': before['resources/extension-metrics.js'],
      'resources/extension-metrics.js/extension-metrics.js':
        before['resources/extension-metrics.js/extension-metrics.js'],
      [ROLLOUT_DIR]: 'dir 755',
      [`${ROLLOUT_DIR}/extension-rollout.js`]: `file 644 ${sha256('window.version = 2;\n')}`,
    });
  });

  test('a good checksum from a sha256sum file', async () => {
    const archive = tarArchive(v2);
    const url = serveBytes('/r/v2/extension.tar', archive);
    const sums = `${sha256('other')}  extension.tar.gz\n${sha256(archive)}  extension.tar\n`;
    const run = await runInstaller({
      EXTENSION_URL: url,
      EXTENSION_CHECKSUM_URL: serveBytes('/r/v2/sums', sums),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Checksum verified: sha256 ${sha256(archive)}`);
    expect(await readFile(join(extensionsDir, ROLLOUT_DIR, 'extension-rollout.js'), 'utf8')).toBe(
      'window.version = 2;\n',
    );
  });

  test('after a transient 503, on retry', async () => {
    const archive = tarArchive(v2);
    const url = serve('/flaky.tar', (_req, res, hit) => {
      if (hit === 1) res.writeHead(503).end('busy');
      else res.writeHead(200, { 'content-length': archive.length }).end(archive);
    });
    const run = await runInstaller({ EXTENSION_URL: url });
    expect(run.code).toBe(0);
    expect(loopback.hits.get('/flaky.tar')).toBe(2);
    expect(run.stdout).toMatch(/HTTP 503; retrying in 500 ms \(retry 1 of 3\)/);
  });

  test('links inside resources/: a symlink is kept, a hard link becomes a copy', async () => {
    const entries: TarEntry[] = [
      { name: `${ROLLOUT_DIR}/extension-rollout.js`, body: 'x();\n' },
      { name: `${ROLLOUT_DIR}/alias.js`, type: 'symlink', linkname: 'extension-rollout.js' },
      { name: `${ROLLOUT_DIR}/copy.js`, type: 'hardlink', linkname: `${ROLLOUT_DIR}/extension-rollout.js` },
    ];
    const run = await runInstaller({ EXTENSION_URL: serveBytes('/links.tar', tarArchive(entries)) });
    expect(run.code).toBe(0);
    const after = await snapshot(extensionsDir);
    expect(after[`${ROLLOUT_DIR}/alias.js`]).toBe('symlink -> extension-rollout.js');
    expect(after[`${ROLLOUT_DIR}/copy.js`]).toBe(`file 644 ${sha256('x();\n')}`);
    expect((await lstat(join(extensionsDir, ROLLOUT_DIR, 'copy.js'))).nlink).toBe(1);
  });

  test('EXTENSION_JS_VARS with quotes and </script> as an inert vars file that sorts first', async () => {
    const vars = {
      apiUrl: 'https://example.com/?a=1&b="2"',
      evil: `"; window.pwned = 1; "</script><script>x()`,
    };
    const run = await runInstaller({
      EXTENSION_URL: serveBytes('/v2.tar', tarArchive(v2)),
      EXTENSION_NAME: 'rollout',
      EXTENSION_JS_VARS: JSON.stringify(vars),
    });
    expect(run.code).toBe(0);
    const dir = join(extensionsDir, ROLLOUT_DIR);
    expect((await readdir(dir)).sort()).toEqual(['extension-0-ROLLOUT_vars.js', 'extension-rollout.js']);
    const script = await readFile(join(dir, 'extension-0-ROLLOUT_vars.js'), 'utf8');
    expect(script).not.toMatch(/<\/script/i);
    // Run the generated file (not anything from the environment) in an empty context, as a browser would.
    const window: Record<string, unknown> = {};
    vm.runInNewContext(script, { window });
    expect(window).toEqual({ ROLLOUT_VARS: { APIURL: vars.apiUrl, EVIL: vars.evil } });
  });

  test('nothing, and exits 0, when EXTENSION_ENABLED=false', async () => {
    const run = await runInstaller({
      EXTENSION_ENABLED: 'false',
      EXTENSION_NAME: 'rollout',
      EXTENSION_URL: serveBytes('/v2.tar', tarArchive(v2)),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^rollout extension is disabled\n/);
    expect(loopback.hits.get('/v2.tar')).toBeUndefined();
    expect(await snapshot(extensionsDir)).toEqual(before);
  });

  test('through HTTP_PROXY, with NODE_USE_ENV_PROXY=1 as the image sets', async () => {
    const proxy = await startConnectProxy(loopback.port);
    try {
      serveBytes('/proxied/v2.tar', tarArchive(v2));
      const run = await runInstaller({
        EXTENSION_URL: 'http://extensions.example/proxied/v2.tar',
        NODE_USE_ENV_PROXY: '1',
        HTTP_PROXY: proxy.url,
      });
      expect(run.code).toBe(0);
      expect(proxy.tunnels).toEqual(['extensions.example:80']);
      expect(await readFile(join(extensionsDir, ROLLOUT_DIR, 'extension-rollout.js'), 'utf8')).toBe(
        'window.version = 2;\n',
      );
    } finally {
      proxy.close();
    }
  });

  test('across a redirect, sending EXTENSION_GIT_TOKEN to the configured origin only', async () => {
    const archive = tarArchive(v2);
    const seen: (string | undefined)[] = [];
    const url = serve('/releases/v2/extension.tar', (req, res) => {
      seen.push(req.headers.authorization);
      // Another origin (localhost, not 127.0.0.1), as GitHub sends release assets elsewhere.
      res.writeHead(302, { location: `http://localhost:${loopback.port}/objects/blob-1234` }).end();
    });
    serve('/objects/blob-1234', (req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-length': archive.length }).end(archive);
    });
    const run = await runInstaller({
      EXTENSION_URL: url,
      // The name looked up is the configured URL's, not the redirect target's.
      EXTENSION_CHECKSUM_URL: serveBytes('/releases/v2/sums', `${sha256(archive)}  extension.tar\n`),
      EXTENSION_GIT_TOKEN: 'secret-token',
    });
    expect(run.code).toBe(0);
    expect(seen).toEqual(['Bearer secret-token', undefined]);
    expect(run.stdout).not.toContain('secret-token');
  });

  test('without a vars file, and says so, when no directory matches EXTENSION_NAME', async () => {
    const run = await runInstaller({
      EXTENSION_URL: serveBytes('/v2.tar', tarArchive(v2)),
      EXTENSION_NAME: 'metrics',
      EXTENSION_JS_VARS: '{"a":"b"}',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/WARNING: no directory matching extension\*-metrics\*\.js in the archive/);
    expect(Object.keys(await snapshot(extensionsDir)).filter((path) => path.includes('_vars'))).toEqual([]);
  });

  test('after removing the work directory a killed run left behind', async () => {
    const leftover = join(extensionsDir, '.rollout-kit-killed', 'stage', ROLLOUT_DIR);
    await mkdir(leftover, { recursive: true });
    await writeFile(join(leftover, 'extension-rollout.js'), 'stale();\n');
    const run = await runInstaller({ EXTENSION_URL: serveBytes('/v2.tar', tarArchive(v2)) });
    expect(run.code).toBe(0);
    expect((await readdir(extensionsDir)).sort()).toEqual(['resources']);
  });
});

describe('refuses, keeping the old extension, when', () => {
  beforeEach(installTwoExtensions);

  test('the checksum does not match', async () => {
    const archive = tarArchive(v2);
    const run = await runInstaller({
      EXTENSION_URL: serveBytes('/extension.tar', archive),
      EXTENSION_CHECKSUM_URL: serveBytes(
        '/extension.tar.sha256',
        `${sha256('something else')}  extension.tar\n`,
      ),
    });
    await expectFailure(run, 6, /extension checksum mismatch: .* expects [0-9a-f]{64}, got [0-9a-f]{64}/);
  });

  test('the checksum file has no line for the archive', async () => {
    const archive = tarArchive(v2);
    const run = await runInstaller({
      EXTENSION_URL: serveBytes('/extension.tar', archive),
      EXTENSION_CHECKSUM_URL: serveBytes('/sums', `${sha256(archive)}  extension.tar.gz\n`),
    });
    await expectFailure(run, 6, /the checksum file has no sha256 for extension.tar/);
  });

  test('the checksum file is missing (404)', async () => {
    const run = await runInstaller({
      EXTENSION_URL: serveBytes('/extension.tar', tarArchive(v2)),
      EXTENSION_CHECKSUM_URL: `${base}/missing.sha256`,
    });
    await expectFailure(run, 3, /GET http:\/\/127\.0\.0\.1:\d+\/missing\.sha256 answered HTTP 404/);
  });

  test('EXTENSION_SHA256 does not match', async () => {
    const run = await runInstaller({
      EXTENSION_URL: serveBytes('/extension.tar', tarArchive(v2)),
      EXTENSION_SHA256: sha256('not the archive'),
    });
    await expectFailure(run, 6, /EXTENSION_SHA256 expects/);
  });

  test('the archive is not found (404), without retrying', async () => {
    const run = await runInstaller({ EXTENSION_URL: `${base}/nowhere/extension.tar` });
    await expectFailure(run, 3, /answered HTTP 404/);
    expect(loopback.hits.get('/nowhere/extension.tar')).toBe(1);
  });

  test('the server keeps failing (500), after the retries', async () => {
    const url = serve('/broken.tar', (_req, res) => res.writeHead(500).end('oops'));
    const run = await runInstaller({ EXTENSION_URL: url, DOWNLOAD_RETRIES: '1' });
    await expectFailure(run, 3, /answered HTTP 500/);
    expect(loopback.hits.get('/broken.tar')).toBe(2);
  });

  test('the server stalls past MAX_DOWNLOAD_SEC', async () => {
    const archive = tarArchive(v2);
    const url = serve('/stall.tar', (_req, res) => {
      res.writeHead(200, { 'content-length': archive.length });
      res.write(archive.subarray(0, 512)); // then nothing more
    });
    const run = await runInstaller({ EXTENSION_URL: url, MAX_DOWNLOAD_SEC: '1' });
    await expectFailure(run, 4, /downloading http:\/\/127\.0\.0\.1:\d+\/stall\.tar took longer than 1 s/);
  });

  test('the body is cut short', async () => {
    const archive = tarArchive(v2);
    const url = serve('/truncated.tar', (_req, res) => {
      res.writeHead(200, { 'content-length': archive.length });
      res.write(archive.subarray(0, 700), () => res.destroy());
    });
    const run = await runInstaller({ EXTENSION_URL: url, DOWNLOAD_RETRIES: '1' });
    await expectFailure(run, 5, /the body of .*truncated\.tar was cut short/);
    expect(loopback.hits.get('/truncated.tar')).toBe(2);
  });

  test('the archive is a truncated tar served whole (no checksum to catch it)', async () => {
    const archive = tarArchive([{ name: `${ROLLOUT_DIR}/extension-rollout.js`, body: 'y'.repeat(5000) }]);
    const run = await runInstaller({ EXTENSION_URL: serveBytes('/short.tar', archive.subarray(0, 2048)) });
    await expectFailure(run, 7, /not a valid tar: .*Truncated input/);
  });

  test('the archive is a truncated gzip served whole', async () => {
    const script = { name: `${ROLLOUT_DIR}/extension-rollout.js`, body: randomBytes(30_000).toString('hex') };
    const gzip = gzipSync(tarArchive([script]));
    const run = await runInstaller({
      EXTENSION_URL: serveBytes('/short.tar.gz', gzip.subarray(0, gzip.length / 2)),
    });
    await expectFailure(run, 7, /the gzip data is corrupt: unexpected end of file/);
  });

  test.each([
    {
      name: 'a zip file',
      body: Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(600)]),
      detail: 'zip',
    },
    {
      name: 'an HTML error page',
      body: Buffer.from(`<html>${' '.repeat(600)}</html>`),
      detail: 'text or HTML',
    },
    {
      name: 'a gzip file that holds no tar',
      body: gzipSync(Buffer.alloc(4096, 'a')),
      detail: 'does not hold a tar',
    },
  ])('the archive is $name', async ({ body, detail }) => {
    const run = await runInstaller({ EXTENSION_URL: serveBytes('/extension.tar', body) });
    await expectFailure(run, 7, new RegExp(detail));
  });

  test('the archive has no resources/ directory', async () => {
    const body = tarArchive([{ name: 'dist/extension-rollout.js', body: 'x' }]);
    const run = await runInstaller({ EXTENSION_URL: serveBytes('/extension.tar', body) });
    await expectFailure(run, 7, /nothing under a top-level resources\//);
  });

  const good: TarEntry = { name: `${ROLLOUT_DIR}/extension-rollout.js`, body: 'window.version = 3;\n' };
  test.each([
    {
      name: 'a ../ entry',
      evil: { name: 'resources/../../../../escaped.js', body: 'pwned' },
      reason: /has a "\.\." in the path/,
    },
    {
      name: 'an absolute path',
      evil: { name: `${'/tmp'}/installer-e2e-abs.js`, body: 'pwned' },
      reason: /has an absolute path/,
    },
    {
      name: 'a symlink escaping the target',
      evil: { name: `${ROLLOUT_DIR}/passwd`, type: 'symlink', linkname: '../../../../etc/passwd' },
      reason: /symlink .* points outside resources\//,
    },
    {
      name: 'a hard link to a file outside',
      evil: { name: `${ROLLOUT_DIR}/shadow`, type: 'hardlink', linkname: '/etc/shadow' },
      reason: /hard link/,
    },
    { name: 'a device file', evil: { name: `${ROLLOUT_DIR}/tty`, type: 'char' }, reason: /device or FIFO/ },
  ] satisfies { name: string; evil: TarEntry; reason: RegExp }[])(
    'the archive has $name (after a good entry)',
    async ({ evil, reason }) => {
      const run = await runInstaller({ EXTENSION_URL: serveBytes('/evil.tar', tarArchive([good, evil])) });
      await expectFailure(run, 8, reason);
      expect(existsSync(join(work, 'escaped.js'))).toBe(false);
      expect(existsSync('/tmp/installer-e2e-abs.js')).toBe(false);
    },
  );

  test('a symlink is followed by a file written through it', async () => {
    const entries: TarEntry[] = [
      { name: `${ROLLOUT_DIR}/up`, type: 'symlink', linkname: '..' },
      { name: `${ROLLOUT_DIR}/up/extension-metrics.js/extension-metrics.js`, body: 'hijacked();\n' },
    ];
    const run = await runInstaller({ EXTENSION_URL: serveBytes('/through.tar', tarArchive(entries)) });
    await expectFailure(run, 8, /beneath an earlier symlink/);
  });

  test('the archive is a gzip bomb', async () => {
    const bomb = gzipSync(
      tarArchive([{ name: `${ROLLOUT_DIR}/zeros.js`, body: Buffer.alloc(64 * 1024 * 1024) }]),
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const run = await runInstaller({ EXTENSION_URL: serveBytes('/bomb.tar.gz', bomb), MAX_EXTRACT_MB: '4' });
    await expectFailure(run, 9, /would exceed the cap of 4194304 bytes/);
  });

  test('EXTENSION_URL is missing', async () => {
    const run = await runInstaller({ EXTENSION_NAME: 'rollout' });
    await expectFailure(
      run,
      2,
      /ERROR: failed to install rollout extension: the env var EXTENSION_URL must be provided/,
    );
  });
});

// --- deployment recipes --------------------------------------------------------------------------

const DEPLOY = join(INSTALLER, 'deploy');
const readYaml = async (path: string): Promise<unknown> => parseYaml(await readFile(path, 'utf8'));

interface EnvVar {
  name: string;
  value?: string;
}
interface Container {
  name: string;
  image: string;
  env: EnvVar[];
  volumeMounts: { name: string; mountPath: string }[];
  securityContext: Record<string, unknown>;
}

/**
 * The argo-cd chart's keys the recipes may use, from argoproj/argo-helm charts/argo-cd/values.yaml
 * (the `server:` section: `extensions.{enabled, image.{repository, tag, imagePullPolicy},
 * extensionList, containerSecurityContext, resources}`, `initContainers`, `volumeMounts`,
 * `volumes`, `emptyDir.sizeLimit`) and templates/argocd-server/deployment.yaml (which reads
 * `name` and `env` of each extensionList item and copies the other lists verbatim into the pod).
 * `[]` marks a list item; below the lists the chart passes through, Kubernetes field names apply.
 */
const CHART_KEYS = new Set([
  'server',
  'server.extensions',
  'server.extensions.enabled',
  'server.extensions.image',
  'server.extensions.image.repository',
  'server.extensions.image.tag',
  'server.extensions.image.imagePullPolicy',
  'server.extensions.extensionList',
  'server.extensions.extensionList[]',
  'server.extensions.extensionList[].name',
  'server.extensions.extensionList[].env',
  'server.extensions.containerSecurityContext',
  'server.extensions.resources',
  'server.initContainers',
  'server.volumeMounts',
  'server.volumes',
  'server.emptyDir',
  'server.emptyDir.sizeLimit',
]);
/** Lists the chart copies into the pod spec as they are: their items are Kubernetes objects. */
const PASSED_THROUGH = new Set([
  'server.extensions.extensionList[].env',
  'server.extensions.containerSecurityContext',
  'server.extensions.resources',
  'server.initContainers',
  'server.volumeMounts',
  'server.volumes',
]);
/** The chart's default server.extensions.containerSecurityContext, from the same values.yaml. */
const CHART_EXTENSION_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  runAsUser: 1000,
  seccompProfile: { type: 'RuntimeDefault' },
  capabilities: { drop: ['ALL'] },
};

/** Every key path of `value` down to the lists the chart passes through, with `[]` for list items. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (PASSED_THROUGH.has(prefix)) return [];
  if (Array.isArray(value)) return value.flatMap((item) => [`${prefix}[]`, ...keyPaths(item, `${prefix}[]`)]);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return [path, ...keyPaths(child, path)];
  });
}

/** The env every recipe gives the installer, by name. */
function envByName(env: readonly EnvVar[]): Record<string, string | undefined> {
  return Object.fromEntries(env.map((e) => [e.name, e.value]));
}

const RECIPE_ENV = {
  EXTENSION_NAME: 'rollout',
  EXTENSION_URL: expect.stringMatching(/^https:\/\/.*\/extension\.tar$/),
  EXTENSION_CHECKSUM_URL: expect.stringMatching(/^https:\/\/.*\/extension\.tar\.sha256$/),
};

describe('deployment recipes', () => {
  test.each(['helm-values.yaml', 'helm-values-init-containers.yaml'])(
    '%s uses only documented argo-cd chart keys',
    async (file) => {
      const paths = keyPaths(await readYaml(join(DEPLOY, file)));
      expect(paths.length).toBeGreaterThan(3);
      expect(paths.filter((path) => !CHART_KEYS.has(path))).toEqual([]);
    },
  );

  test('helm-values.yaml enables the chart extensions with one item pointing at extension.tar', async () => {
    const values = (await readYaml(join(DEPLOY, 'helm-values.yaml'))) as {
      server: { extensions: { enabled: boolean; extensionList: { name: string; env: EnvVar[] }[] } };
    };
    expect(values.server.extensions.enabled).toBe(true);
    expect(values.server.extensions.extensionList).toHaveLength(1);
    expect(envByName(values.server.extensions.extensionList[0]!.env)).toEqual(RECIPE_ENV);
  });

  test('helm-values-init-containers.yaml mounts one emptyDir at /tmp/extensions in both containers', async () => {
    const values = (await readYaml(join(DEPLOY, 'helm-values-init-containers.yaml'))) as {
      server: {
        initContainers: Container[];
        volumeMounts: Container['volumeMounts'];
        volumes: { name: string; emptyDir?: object }[];
      };
    };
    const [init] = values.server.initContainers;
    expect(envByName(init!.env)).toEqual(RECIPE_ENV);
    expect(init!.securityContext).toEqual(CHART_EXTENSION_SECURITY_CONTEXT);
    expect(init!.volumeMounts).toEqual([{ name: 'extensions', mountPath: '/tmp/extensions/' }]);
    expect(values.server.volumeMounts).toEqual([{ name: 'extensions', mountPath: '/tmp/extensions/' }]);
    expect(values.server.volumes).toEqual([{ name: 'extensions', emptyDir: {} }]);
  });

  test('the Kustomize patch renders onto an argocd-server Deployment with kubectl kustomize', async () => {
    const kubectl = join(binaryDirs(pinnedVersions(), cacheDir()).controlPlane[0]!, 'kubectl');
    const dir = join(work, 'kustomize');
    await mkdir(dir);
    await writeFile(
      join(dir, 'deployment.yaml'),
      await readFile(join(FIXTURES, 'argocd-server-deployment.yaml')),
    );
    await writeFile(
      join(dir, 'argocd-server-patch.yaml'),
      await readFile(join(DEPLOY, 'kustomize', 'argocd-server-patch.yaml')),
    );
    const shipped = (await readYaml(join(DEPLOY, 'kustomize', 'kustomization.yaml'))) as {
      patches: unknown[];
    };
    await writeFile(
      join(dir, 'kustomization.yaml'),
      stringifyYaml({ resources: ['deployment.yaml'], patches: shipped.patches }),
    );
    const rendered = parseYaml(execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8' })) as {
      spec: {
        template: { spec: { initContainers: Container[]; containers: Container[]; volumes: unknown[] } };
      };
    };
    const pod = rendered.spec.template.spec;
    expect(pod.initContainers).toHaveLength(1);
    const [init] = pod.initContainers;
    expect(init!.name).toBe('rollout-extension');
    expect(envByName(init!.env)).toEqual(RECIPE_ENV);
    expect(init!.volumeMounts).toEqual([{ name: 'extensions', mountPath: '/tmp/extensions/' }]);
    expect(init!.securityContext).toEqual(CHART_EXTENSION_SECURITY_CONTEXT);
    const server = pod.containers.find((c) => c.name === 'argocd-server');
    expect(server!.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'extensions', mountPath: '/tmp/extensions/' },
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'plugins-home', mountPath: '/home/argocd' },
      ]),
    );
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: 'extensions', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
      ]),
    );
  });

  test('the Dockerfile runs the bundle as uid 1000, honouring proxy variables', async () => {
    const dockerfile = await readFile(join(DEPLOY, 'Dockerfile'), 'utf8');
    const instructions = dockerfile.split('\n').filter((line) => /^[A-Z]+ /.test(line));
    expect(instructions).toEqual([
      expect.stringMatching(/^FROM node:24-alpine/),
      'COPY --chmod=0555 dist/installer.mjs /opt/rollout-kit/installer.mjs',
      'ENV NODE_USE_ENV_PROXY=1',
      'USER 1000:1000',
      'ENTRYPOINT ["node", "/opt/rollout-kit/installer.mjs"]',
    ]);
  });
});

// --- failures tolerated, and the real extension --------------------------------------------------

describe('with two extensions installed before', () => {
  beforeEach(installTwoExtensions);

  test('IGNORE_FAILURE=true reports a failure, exits 0 and keeps the old extension', async () => {
    const run = await runInstaller({ EXTENSION_URL: `${base}/nowhere.tar`, IGNORE_FAILURE: 'true' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ERROR: failed to install the extension: .*HTTP 404 \(exit code 3\)/);
    expect(run.stdout).toMatch(/IGNORE_FAILURE is true/);
    expect(await snapshot(extensionsDir)).toEqual(before);
  });

  test('the extension.tar that extension/ builds installs, with the recipe env, as argocd-server would serve it', async () => {
    const { bundle, pack, BUNDLE_PATH } = await import('../../extension/build.mjs');
    const code = await bundle();
    const tar = join(work, 'extension.tar');
    await pack(code, { dist: join(work, 'dist'), tar });
    // The recipe's env, with its URLs moved to the loopback server at the same paths.
    const values = (await readYaml(join(DEPLOY, 'helm-values.yaml'))) as {
      server: { extensions: { extensionList: { env: EnvVar[] }[] } };
    };
    const env: Record<string, string> = {};
    for (const { name, value } of values.server.extensions.extensionList[0]!.env) {
      const url = value !== undefined && /^https?:/.test(value) ? new URL(value) : undefined;
      if (url === undefined) env[name] = value ?? '';
      else
        env[name] = serveBytes(
          url.pathname,
          await readFile(url.pathname.endsWith('.sha256') ? `${tar}.sha256` : tar),
        );
    }
    const run = await runInstaller({ ...env, EXTENSION_JS_VARS: '{"docs":"https://example.com"}' });
    expect(run.stdout).toMatch(/Checksum verified/);
    expect(run.code).toBe(0);
    expect(await servedByArgoCd(extensionsDir)).toEqual([
      'resources/extension-metrics.js/extension-metrics.js',
      'resources/extension-rollout.js/extension-0-ROLLOUT_vars.js',
      BUNDLE_PATH,
    ]);
    expect(await readFile(join(extensionsDir, BUNDLE_PATH), 'utf8')).toBe(code);
  });
});
