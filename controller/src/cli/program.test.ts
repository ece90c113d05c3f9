// Argument parsing of the whole program, in-process: a connect that records the connection
// flags and stops there (no API server is needed, and none is faked), lint and version offline.
import { CommanderError } from 'commander';
import type { KubeFlags } from './kube-options.ts';
import { buildProgram, parseDurationFlag, type CliDeps } from './program.ts';

class Stop extends Error {}

function harness(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let flags: (KubeFlags & Record<string, unknown>) | undefined;
  const deps: CliDeps = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    connect: (f) => {
      flags = f as KubeFlags & Record<string, unknown>;
      throw new Stop();
    },
    now: () => 0,
    sleep: async () => {},
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: ${path}`);
      return text;
    },
    isTTY: false,
  };
  const parse = async (...args: string[]) => {
    try {
      await buildProgram(deps).parseAsync(args, { from: 'user' });
      return undefined;
    } catch (error) {
      return error;
    }
  };
  return { parse, out, err, flags: () => flags };
}

test.each([
  {
    name: 'kubectl flags before the verb',
    args: ['--kubeconfig', '/k', '--context', 'c', '-n', 'shop', 'get', 'rollout', 'web'],
    want: { kubeconfig: '/k', context: 'c', namespace: 'shop' },
  },
  {
    name: 'kubectl flags after the verb',
    args: ['get', 'rollout', 'web', '-n', 'shop'],
    want: { namespace: 'shop' },
  },
  { name: 'alias ro and --no-color', args: ['get', 'ro', 'web', '--no-color'], want: { color: false } },
  {
    name: 'watch with a timeout',
    args: ['get', 'rollout', 'web', '-w', '--timeout-seconds', '5'],
    want: { watch: true, timeoutSeconds: '5' },
  },
  { name: 'list -A', args: ['list', 'rollouts', '-A'], want: { allNamespaces: true } },
  {
    name: 'list --watch --timestamps',
    args: ['list', 'ro', '-w', '--timestamps', '--timeout-seconds', '3'],
    want: { watch: true, timestamps: true, timeoutSeconds: '3' },
  },
  { name: 'status defaults to watching', args: ['status', 'web'], want: { watch: 'true', timeout: '0' } },
  {
    name: 'status --watch=false',
    args: ['status', 'web', '--watch=false', '-t', '30s'],
    want: { watch: 'false', timeout: '30s' },
  },
  { name: 'promote --full', args: ['promote', 'web', '--full'], want: { full: true } },
  { name: 'restart --in', args: ['restart', 'web', '--in', '10s'], want: { in: '10s' } },
  { name: 'undo --to-revision', args: ['undo', 'web', '--to-revision', '3'], want: { toRevision: '3' } },
  { name: 'history -o yaml', args: ['history', 'web', '-o', 'yaml'], want: { output: 'yaml' } },
  { name: 'retry rollouts alias', args: ['retry', 'rollouts', 'web'], want: {} },
])('$name', async ({ args, want }) => {
  const h = harness();
  expect(await h.parse(...args)).toBeInstanceOf(Stop);
  expect(h.flags()).toMatchObject(want);
});

test.each([
  { name: 'an unknown verb', args: ['frobnicate'], error: /unknown command 'frobnicate'/ },
  { name: 'a missing rollout name', args: ['get', 'rollout'], error: /missing required argument 'name'/ },
  {
    name: 'an unknown output format',
    args: ['list', 'rollouts', '-o', 'xml'],
    error: /argument 'xml' is invalid/,
  },
])('rejects $name with a usage error', async ({ args, error }) => {
  const h = harness();
  const e = await h.parse(...args);
  expect(e).toBeInstanceOf(CommanderError);
  expect(h.err.join('')).toMatch(error);
  expect(h.flags()).toBeUndefined();
});

test('lint passes a valid file silently and fails an invalid one with file:line:col', async () => {
  const valid = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: x}]}
  strategy: {canary: {steps: [{setWeight: 10}]}}
`;
  const h = harness({ 'ok.yaml': valid, 'bad.yaml': valid.replace('setWeight: 10', 'setWeight: -1') });
  expect(await h.parse('lint', '-f', 'ok.yaml')).toBeUndefined();
  expect(h.err).toEqual([]);
  const e = await h.parse('lint', '-f', 'bad.yaml');
  expect((e as Error).message).toBe('bad.yaml: 1 error');
  expect(h.err.join('')).toMatch(/^bad\.yaml:9:43: spec\.strategy\.steps\[0\]\.setWeight: Invalid value: -1/);
  expect(h.flags()).toBeUndefined();
});

test('version and completion work offline', async () => {
  const h = harness();
  await h.parse('version');
  await h.parse('completion', 'bash');
  expect(h.out[0]).toBe('rk: v0.1.0\n');
  expect(h.out[1]).toContain('complete -F _rk_complete rk kubectl-rk');
  expect(h.out[1]).toMatch(/ get\) words='rollout ro rollouts'/);
  await h.parse('completion', 'fish');
  expect(h.out[2]).toContain("complete -c rk -f -a '(__rk_complete)'");
  expect(h.out[2]).toContain("case 'get rollout'\n            printf '%s\\n' --watch -w --no-color");
  await h.parse('completion', 'powershell');
  expect(h.out[3]).toContain("Register-ArgumentCompleter -Native -CommandName 'rk', 'kubectl-rk'");
  expect(h.out[3]).toContain("'promote' { @('--full') }");
  expect(await h.parse('completion', 'tcsh')).toEqual(
    new Error('unsupported shell "tcsh": use bash, zsh, fish, powershell'),
  );
});

test.each([
  { name: 'a Go duration', value: '1m30s', want: 90_000 },
  { name: 'plain seconds', value: '10', want: 10_000 },
  { name: 'zero', value: '0s', want: 0 },
])('duration flag: $name', ({ value, want }) => {
  expect(parseDurationFlag(value)).toBe(want);
});

test('a bad duration is a clear error', () => {
  expect(() => parseDurationFlag('soon')).toThrow('invalid duration "soon"');
});
