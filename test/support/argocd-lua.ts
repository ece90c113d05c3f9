// Argo CD's view of a live Rollout as Argo CD itself has it: its own health.lua and resource
// actions for argoproj.io/Rollout (from the Argo CD module, fetched through the Go module proxy
// into the Go module cache) run in gopher-lua, the Lua argocd-server embeds.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Rollout } from '@rollout-kit/api';
import { pinnedVersions } from '../control-plane/versions.ts';
import { getRollout } from './rollouts.ts';
import { waitFor } from './wait-for.ts';

/** The Argo CD release whose Rollout health check and actions are run: the one the e2e runs. */
const ARGOCD_MODULE = `github.com/argoproj/argo-cd/v3@${pinnedVersions().ARGOCD_VERSION}`;
const repo = join(import.meta.dirname, '..', '..');

let lua: { runner: string; script: string } | undefined;

function argoCdLua(): { runner: string; script: string } {
  if (lua) return lua;
  const runner = execFileSync(join(repo, 'test', 'tools', 'lua', 'build.sh'), { encoding: 'utf8' }).trim();
  const downloaded = execFileSync('go', ['mod', 'download', '-json', ARGOCD_MODULE], {
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-modcacherw' },
  });
  const dir = (JSON.parse(downloaded) as { Dir: string }).Dir;
  lua = { runner, script: join(dir, 'resource_customizations', 'argoproj.io', 'Rollout', 'health.lua') };
  return lua;
}

/** Argo CD's health of the Rollout as it is now: `{status, message}` from Argo CD's health.lua. */
export async function argoCdHealth(
  namespace: string,
  name = 'web',
): Promise<{ status: string; message?: string }> {
  const { runner, script } = argoCdLua();
  const obj = await getRollout(namespace, name);
  const run = spawnSync(runner, ['-script', script], {
    input: JSON.stringify(obj),
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (run.status !== 0) throw new Error(`health.lua failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as { status: string; message?: string };
}

/** Waits until Argo CD would show `status` for the Rollout. */
export async function waitForArgoCdHealth(namespace: string, status: string, name = 'web') {
  return waitFor(`Argo CD health ${status} for ${namespace}/${name}`, async () => {
    const health = await argoCdHealth(namespace, name);
    return health.status === status ? health : undefined;
  });
}

/** The top-level keys of `after` that differ from `before`, as a JSON merge patch (removed ⇒ null). */
function topLevelPatch(
  before: Record<string, unknown> = {},
  after: Record<string, unknown> = {},
): Record<string, unknown> | undefined {
  const patch: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!(key in after)) patch[key] = null;
    else if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) patch[key] = after[key];
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/**
 * Runs one of Argo CD's own resource actions for argoproj.io/Rollout (its action.lua, in Argo CD's
 * Lua) on the live Rollout and applies what it changed the way argocd-server does: the status
 * change to the status subresource, the spec change to the Rollout, both as merge patches.
 */
export async function runArgoCdAction(namespace: string, action: string, name = 'web'): Promise<void> {
  const { runner, script } = argoCdLua();
  const actionScript = join(script, '..', 'actions', action, 'action.lua');
  const obj = await getRollout(namespace, name);
  const run = spawnSync(runner, ['-script', actionScript], {
    input: JSON.stringify(obj),
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (run.status !== 0) throw new Error(`${action}/action.lua failed (${run.status}): ${run.stderr}`);
  const result = JSON.parse(run.stdout) as Rollout;
  const status = topLevelPatch(
    obj.status as Record<string, unknown>,
    result.status as Record<string, unknown>,
  );
  const spec = topLevelPatch(obj.spec as Record<string, unknown>, result.spec as Record<string, unknown>);
  const kubectl = (args: string[]) =>
    execFileSync('kubectl', ['-n', namespace, ...args], { encoding: 'utf8' });
  if (status)
    kubectl([
      'patch',
      'rollout',
      name,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status }),
    ]);
  if (spec) kubectl(['patch', 'rollout', name, '--type=merge', '-p', JSON.stringify({ spec })]);
}
