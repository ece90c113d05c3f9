// The `undo` resource action's Lua (extension/argocd/), run the way argocd-server runs it: Lua 5.1
// in gopher-lua, the version Argo CD uses, with only the base, package and table libraries, the
// Rollout in `obj` and the parameters in `actionParams` (test/tools/lua/, built once into the
// cache). Also checks that the argocd-cm snippet carries exactly these scripts.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARGOCD = join(ROOT, 'extension', 'argocd');
const ACTIONS = join(ARGOCD, 'argoproj.io', 'Rollout', 'actions');
const DISCOVERY = join(ACTIONS, 'discovery.lua');
const ACTION = join(ACTIONS, 'undo', 'action.lua');
const UNDO = 'rollout-kit.io/undo-to-revision';
const REVISION = 'rollout.argoproj.io/revision';

let runner = '';
beforeAll(() => {
  // Needs Go; the first build fetches gopher-lua from the Go module proxy.
  runner = execFileSync(join(ROOT, 'test', 'tools', 'lua', 'build.sh'), { encoding: 'utf8' }).trim();
});

type Outcome = { ok: true; result: unknown } | { ok: false; error: string };

function runLua(script: string, obj: unknown, params?: Record<string, string>): Outcome {
  const args = ['-script', script, ...(params === undefined ? [] : ['-params', JSON.stringify(params)])];
  const run = spawnSync(runner, args, { input: JSON.stringify(obj), encoding: 'utf8', timeout: 10_000 });
  if (run.status === 0) return { ok: true, result: JSON.parse(run.stdout) as unknown };
  if (run.status === 2) return { ok: false, error: run.stderr.split('\n')[0] ?? '' };
  throw new Error(`lua-runner exited ${run.status}: ${run.stderr}`);
}

function rollout(annotations?: Record<string, string>, withStatus = true): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: 'web', namespace: 'shop', generation: 3 };
  if (annotations !== undefined) metadata.annotations = annotations;
  const object: Record<string, unknown> = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata,
    spec: { replicas: 3, strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } } },
  };
  if (withStatus)
    object.status = { phase: 'Healthy', stableRS: 'abc', currentPodHash: 'abc', observedGeneration: '3' };
  return object;
}

describe('discovery.lua', () => {
  test.each([
    {
      name: 'offered, defaulting to the revision before the current one',
      obj: rollout({ [REVISION]: '3' }),
      want: { disabled: false, params: [{ name: 'revision', default: '2' }] },
    },
    {
      name: 'no default at the first revision',
      obj: rollout({ [REVISION]: '1' }),
      want: { disabled: false, params: [{ name: 'revision' }] },
    },
    {
      name: 'no default when the revision annotation is not a number',
      obj: rollout({ [REVISION]: 'abc' }),
      want: { disabled: false, params: [{ name: 'revision' }] },
    },
    {
      name: 'no annotations at all',
      obj: rollout(),
      want: { disabled: false, params: [{ name: 'revision' }] },
    },
    {
      name: 'disabled while an undo is pending',
      obj: rollout({ [REVISION]: '3', [UNDO]: '1' }),
      want: { disabled: true, params: [{ name: 'revision', default: '2' }] },
    },
    {
      name: 'disabled before the controller wrote a status',
      obj: rollout({ [REVISION]: '3' }, false),
      want: { disabled: true, params: [{ name: 'revision', default: '2' }] },
    },
  ])('$name', ({ obj, want }) => {
    const outcome = runLua(DISCOVERY, obj);
    expect(outcome).toEqual({
      ok: true,
      result: { undo: { ...want, displayName: 'Undo to revision', iconClass: 'fa fa-fw fa-rotate-left' } },
    });
  });
});

describe('undo/action.lua', () => {
  test('sets the annotation and changes nothing else', () => {
    const live = rollout({ [REVISION]: '3', team: 'shop' });
    const outcome = runLua(ACTION, live, { revision: '1' });
    const want = structuredClone(live);
    (want.metadata as { annotations: Record<string, string> }).annotations[UNDO] = '1';
    expect(outcome).toEqual({ ok: true, result: want });
  });

  test('creates the annotations map when the Rollout has none', () => {
    const outcome = runLua(ACTION, rollout(), { revision: '7' });
    expect(outcome.ok && (outcome.result as { metadata: unknown }).metadata).toEqual({
      name: 'web',
      namespace: 'shop',
      generation: 3,
      annotations: { [UNDO]: '7' },
    });
  });

  const refusals: { name: string; params: Record<string, string> | undefined; want: RegExp }[] = [
    {
      name: 'no parameters (Argo CD before 3.1)',
      params: undefined,
      want: /^undo needs the parameter revision/,
    },
    { name: 'an empty revision', params: { revision: '' }, want: /^undo needs the parameter revision/ },
    { name: 'another parameter only', params: { replicas: '2' }, want: /^undo needs the parameter revision/ },
    { name: 'zero', params: { revision: '0' }, want: /whole number of 1 or more, such as 3, not 0$/ },
    { name: 'negative', params: { revision: '-1' }, want: /not -1$/ },
    { name: 'a fraction', params: { revision: '1.5' }, want: /not 1\.5$/ },
    { name: 'text', params: { revision: 'two' }, want: /not two$/ },
    { name: 'hexadecimal', params: { revision: '0x2' }, want: /not 0x2$/ },
    { name: 'padded', params: { revision: ' 2' }, want: /not {2}2$/ },
    { name: 'a leading zero', params: { revision: '02' }, want: /not 02$/ },
    { name: 'an exponent', params: { revision: '1e2' }, want: /not 1e2$/ },
    { name: 'not a number', params: { revision: 'nan' }, want: /not nan$/ },
    { name: 'too large', params: { revision: '99999999999' }, want: /not 99999999999$/ },
    { name: 'a script', params: { revision: '<script>' }, want: /not <script>$/ },
  ];
  test.each(refusals)('refuses $name with a clear message', ({ params, want }) => {
    const outcome = runLua(ACTION, rollout({ [REVISION]: '3' }), params);
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.error).toMatch(want);
  });

  test('refuses the current revision', () => {
    expect(runLua(ACTION, rollout({ [REVISION]: '3' }), { revision: '3' })).toEqual({
      ok: false,
      error: 'undo: revision 3 is already the current revision',
    });
  });
});

test('the runner is as strict as Argo CD: custom scripts get no string library', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lua-'));
  try {
    const script = join(dir, 'probe.lua');
    writeFileSync(script, 'return string.len("x")');
    const outcome = runLua(script, rollout());
    expect(outcome.ok ? '' : outcome.error).toMatch(
      /attempt to index a non-table object\(nil\) with key 'len'/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the argocd-cm snippet adds exactly these scripts next to the built-in actions', () => {
  const configMap = parseYaml(readFileSync(join(ARGOCD, 'argocd-cm-undo.yaml'), 'utf8')) as {
    kind: string;
    metadata: { name: string };
    data: Record<string, string>;
  };
  expect(configMap.kind).toBe('ConfigMap');
  expect(configMap.metadata.name).toBe('argocd-cm');
  expect(Object.keys(configMap.data)).toEqual(['resource.customizations.actions.argoproj.io_Rollout']);
  const actions = parseYaml(configMap.data['resource.customizations.actions.argoproj.io_Rollout']!) as {
    mergeBuiltinActions: boolean;
    'discovery.lua': string;
    definitions: { name: string; 'action.lua': string }[];
  };
  expect(actions.mergeBuiltinActions).toBe(true);
  expect(actions['discovery.lua']).toBe(readFileSync(DISCOVERY, 'utf8'));
  expect(actions.definitions).toEqual([{ name: 'undo', 'action.lua': readFileSync(ACTION, 'utf8') }]);
});
