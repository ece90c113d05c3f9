// Fetches the UMD builds of React 16.14, the React of Argo CD 2.5–3.4, for the browser test's
// host page. react@16.14.0 and react-dom@16.14.0 ship umd/*.production.min.js; React 19 ships no
// UMD build and comes from node_modules instead. React 16 is not a dependency in package.json
// because npm's peer-dependency resolution conflicts with React 19: `npm pack` fetches the two
// tarballs, each is checked against the integrity the registry publishes, and the two UMD files
// are kept in ${ROLLOUT_KIT_CACHE:-~/.cache/rollout-kit}/react-16.14.0/, reused when present.
//
//   node test/tools/fetch-react16.ts     prints the two paths
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REACT16_VERSION = '16.14.0';

export interface React16Files {
  react: string;
  reactDom: string;
}

export function react16Dir(
  cache = process.env.ROLLOUT_KIT_CACHE ?? join(homedir(), '.cache', 'rollout-kit'),
) {
  return join(cache, `react-${REACT16_VERSION}`);
}

/** npm next to the running node, so the pinned Node 24's npm is used whatever $PATH holds. */
function npmCli(): string[] {
  const besideNode = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  return existsSync(besideNode) ? [process.execPath, besideNode] : ['npm'];
}

async function npm(args: string[], cwd: string): Promise<string> {
  const [cmd, ...pre] = npmCli();
  if (cmd === undefined) throw new Error('no npm');
  const { stdout } = await run(cmd, [...pre, ...args], { cwd, maxBuffer: 16 << 20 });
  return stdout;
}

/** `sha512-<base64>` of a file, the form of npm's `dist.integrity`. */
async function integrityOf(file: string): Promise<string> {
  return `sha512-${createHash('sha512')
    .update(await readFile(file))
    .digest('base64')}`;
}

/** Downloads `<name>@16.14.0`, checks it and extracts `umd/<umdFile>` to `<dir>/<umdFile>`. */
async function fetchUmd(name: string, umdFile: string, dir: string, log: (line: string) => void) {
  const work = await mkdtemp(join(tmpdir(), `rollout-kit-${name}-`));
  try {
    const spec = `${name}@${REACT16_VERSION}`;
    const published = (await npm(['view', spec, 'dist.integrity'], work)).trim();
    if (!published.startsWith('sha512-'))
      throw new Error(`npm view ${spec}: no sha512 integrity (${published})`);
    const packed = JSON.parse(await npm(['pack', spec, '--json', '--pack-destination', work], work)) as {
      filename: string;
      integrity: string;
    }[];
    const entry = packed[0];
    if (entry === undefined) throw new Error(`npm pack ${spec} reported nothing`);
    const tarball = join(work, entry.filename);
    const actual = await integrityOf(tarball);
    if (actual !== published || entry.integrity !== published) {
      throw new Error(
        `${spec}: integrity mismatch: registry ${published}, npm pack ${entry.integrity}, file ${actual}`,
      );
    }
    log(`${spec}: ${entry.filename} integrity ${published.slice(0, 27)}… verified`);
    await run('tar', ['-xzf', tarball, '-C', work, `package/umd/${umdFile}`]);
    // rename within the cache dir's filesystem is atomic: a half-written file is never reused.
    const staged = join(dir, `.${umdFile}.${process.pid}`);
    await rename(join(work, 'package', 'umd', umdFile), staged).catch(async () => {
      await run('cp', [join(work, 'package', 'umd', umdFile), staged]);
    });
    await rename(staged, join(dir, umdFile));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The two UMD files, fetched once and then reused from the cache. */
export async function ensureReact16(
  opts: { dir?: string; log?: (line: string) => void } = {},
): Promise<React16Files> {
  const dir = opts.dir ?? react16Dir();
  const log = opts.log ?? ((line: string) => process.stderr.write(`[react16] ${line}\n`));
  const files = {
    react: join(dir, 'react.production.min.js'),
    reactDom: join(dir, 'react-dom.production.min.js'),
  };
  await mkdir(dir, { recursive: true });
  if (!existsSync(files.react)) await fetchUmd('react', 'react.production.min.js', dir, log);
  if (!existsSync(files.reactDom)) await fetchUmd('react-dom', 'react-dom.production.min.js', dir, log);
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await ensureReact16();
  console.log(`${files.react}\n${files.reactDom}`);
}
