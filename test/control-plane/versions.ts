// The pinned versions live in versions.env, shared with the Makefile and build-binaries.sh; this
// reads them so TypeScript never keeps a second copy.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface PinnedVersions {
  KUBERNETES_VERSION: string;
  ETCD_VERSION: string;
  KWOK_VERSION: string;
  ARGO_ROLLOUTS_VERSION: string;
  ARGOCD_VERSION: string;
  NODE_VERSION: string;
}

/** Parses KEY=VALUE lines, ignoring blanks and # comments. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`versions.env: expected KEY=VALUE, got "${line}"`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export function pinnedVersions(): PinnedVersions {
  const env = parseEnvFile(readFileSync(join(import.meta.dirname, 'versions.env'), 'utf8'));
  const keys: (keyof PinnedVersions)[] = [
    'KUBERNETES_VERSION',
    'ETCD_VERSION',
    'KWOK_VERSION',
    'ARGO_ROLLOUTS_VERSION',
    'ARGOCD_VERSION',
    'NODE_VERSION',
  ];
  const missing = keys.filter((k) => !env[k]);
  if (missing.length > 0) throw new Error(`versions.env lacks ${missing.join(', ')}`);
  return env as unknown as PinnedVersions;
}

/** The cache root, the same rule as the Makefile: $ROLLOUT_KIT_CACHE, else $XDG_CACHE_HOME or ~/.cache. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ROLLOUT_KIT_CACHE) return env.ROLLOUT_KIT_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'rollout-kit');
}

/** Directories holding each component's binaries, one per pinned version. */
export function binaryDirs(
  versions: PinnedVersions,
  cache: string,
): { controlPlane: string[]; argoPlugin: string; argocd: string } {
  return {
    controlPlane: [
      join(cache, 'bin', `kubernetes-${versions.KUBERNETES_VERSION}`),
      join(cache, 'bin', `etcd-${versions.ETCD_VERSION}`),
      join(cache, 'bin', `kwok-${versions.KWOK_VERSION}`),
    ],
    argoPlugin: join(cache, 'bin', `argo-rollouts-${versions.ARGO_ROLLOUTS_VERSION}`),
    argocd: join(cache, 'bin', `argocd-${versions.ARGOCD_VERSION}`),
  };
}
