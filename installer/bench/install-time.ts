// Install time of a 1 MB and a 20 MB extension, plain tar and tar.gz, served from loopback, with
// the bundled installer run as the init container runs it. The baseline is a bare Node process
// that downloads the same file to disk with fetch, so the ratio is what verifying, unpacking and
// swapping cost on top of the download itself.
//
//   npm run bench -w installer
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create as createTar } from 'tar';
import { BUNDLE, buildInstaller } from '../build.mjs';

const RUNS = 5;
const SIZES_MB = [1, 20];

const BASELINE = `
const [url, out] = process.argv.slice(1);
const body = Buffer.from(await (await fetch(url)).arrayBuffer());
await (await import('node:fs/promises')).writeFile(out, body);
`;

function run(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${args.join(' ')} exited ${code}`)),
    );
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** An extension whose script is `mb` MB of base64 text, like a large minified bundle. */
async function makeArchive(dir: string, mb: number, gzip: boolean): Promise<Buffer> {
  const src = join(dir, `src-${mb}`);
  const script = join(src, 'resources', 'extension-bench.js');
  await mkdir(script, { recursive: true });
  await writeFile(
    join(script, 'extension-bench.js'),
    randomBytes((mb * 1024 * 1024 * 3) / 4).toString('base64'),
  );
  const file = join(dir, `bench-${mb}.tar${gzip ? '.gz' : ''}`);
  await createTar({ file, cwd: src, gzip, portable: true }, ['resources']);
  return readFile(file);
}

const bundleBytes = await buildInstaller();
const work = await mkdtemp(join(tmpdir(), 'installer-bench-'));
const files = new Map<string, Buffer>();
const server = createServer((req, res) => {
  const body = files.get(req.url ?? '');
  if (body === undefined) res.writeHead(404).end();
  else res.writeHead(200, { 'content-length': body.length }).end(body);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

try {
  console.log(`[installer bench] bundle ${(bundleBytes / 1024).toFixed(1)} KiB; median of ${RUNS} runs each`);
  console.log('size   format   archive    baseline   installer  ratio');
  for (const mb of SIZES_MB) {
    for (const gzip of [false, true]) {
      const archive = await makeArchive(work, mb, gzip);
      const path = `/bench-${mb}.tar${gzip ? '.gz' : ''}`;
      files.set(path, archive);
      files.set(
        `${path}.sha256`,
        Buffer.from(`${createHash('sha256').update(archive).digest('hex')}  ${path.slice(1)}\n`),
      );
      const baseline: number[] = [];
      const installer: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        baseline.push(
          await run(['--input-type=module', '-e', BASELINE, `${base}${path}`, join(work, 'baseline')], {}),
        );
        const target = join(work, `extensions-${mb}-${gzip}-${i}`);
        installer.push(
          await run([BUNDLE], {
            EXTENSION_URL: `${base}${path}`,
            EXTENSION_CHECKSUM_URL: `${base}${path}.sha256`,
            EXTENSIONS_DIR: target,
          }),
        );
        await rm(target, { recursive: true, force: true });
      }
      const b = median(baseline);
      const t = median(installer);
      console.log(
        `${`${mb} MB`.padEnd(6)} ${(gzip ? 'tar.gz' : 'tar').padEnd(8)} ` +
          `${`${(archive.length / 1024 / 1024).toFixed(1)} MB`.padEnd(10)} ${`${b.toFixed(0)} ms`.padEnd(10)} ` +
          `${`${t.toFixed(0)} ms`.padEnd(10)} ${(t / b).toFixed(2)}x`,
      );
    }
  }
} finally {
  server.close();
  await rm(work, { recursive: true, force: true });
}
