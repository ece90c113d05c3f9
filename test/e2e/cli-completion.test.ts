// The completion scripts of `rk` loaded into the real shells (Debian's bash and fish), asked what
// they offer after a few typed words: the same command tree must come out of each. PowerShell is
// not packaged by Debian, so its script is checked only by the unit tests.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildProgram, type CliDeps } from '../../controller/src/cli/program.ts';

const run = promisify(execFile);
let dir: string;

async function script(shell: string): Promise<string> {
  const out: string[] = [];
  const deps: CliDeps = {
    out: (t) => out.push(t),
    err: () => {},
    connect: () => {
      throw new Error('completion needs no cluster');
    },
    now: () => 0,
    sleep: async () => {},
    readFile: () => '',
    isTTY: false,
  };
  await buildProgram(deps).parseAsync(['completion', shell], { from: 'user' });
  const path = join(dir, `rk.${shell}`);
  writeFileSync(path, out.join(''));
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rk-completion-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Typed words (the last one being completed) and words that must, and must not, be offered.
const cases = [
  { typed: ['rk', ''], offers: ['get', 'list', 'promote', 'completion', '--namespace'], not: ['rollout'] },
  { typed: ['rk', 'get', ''], offers: ['rollout', 'ro', 'rollouts'], not: ['promote'] },
  { typed: ['rk', 'get', 'rollout', 'web', '-'], offers: ['--watch', '--no-color'], not: ['--full'] },
  { typed: ['rk', '-n', 'shop', 'pro'], offers: ['promote'], not: ['get', 'shop'] },
  { typed: ['kubectl-rk', 'retry', ''], offers: ['rollout', 'experiment'], not: ['get'] },
];

async function bashOffers(typed: string[]): Promise<string[]> {
  const path = await script('bash');
  const words = typed.map((w) => `'${w}'`).join(' ');
  const { stdout } = await run('bash', [
    '-c',
    `source '${path}'; COMP_WORDS=(${words}); COMP_CWORD=${typed.length - 1}; _rk_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
  ]);
  return stdout.split('\n').filter(Boolean);
}

async function fishOffers(typed: string[]): Promise<string[]> {
  const path = await script('fish');
  const line = typed.join(' ');
  const { stdout } = await run('fish', ['--no-config', '-c', `source '${path}'; complete -C '${line}'`]);
  return stdout
    .split('\n')
    .map((l) => l.split('\t')[0] ?? '')
    .filter(Boolean);
}

describe.each([
  { shell: 'bash', offers: bashOffers },
  { shell: 'fish', offers: fishOffers },
])('$shell completion', ({ offers }) => {
  test.each(cases)('after "$typed"', async ({ typed, offers: want, not }) => {
    const got = await offers(typed);
    for (const w of want) expect(got).toContain(w);
    for (const w of not) expect(got).not.toContain(w);
  });
});
