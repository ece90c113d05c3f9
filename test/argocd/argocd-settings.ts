// The settings an Argo CD install keeps in its namespace (argocd-cm, argocd-rbac-cm and
// argocd-secret), holding what the end-to-end tests need: the admin login, one more local account
// whose role can read applications but run no action, and Rollout Kit's `undo` action merged
// into Argo CD's built-in Rollout actions, taken from the argocd-cm patch the project ships.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';

/** Argo CD reads only ConfigMaps and Secrets with this label. */
const PART_OF = { 'app.kubernetes.io/part-of': 'argocd' };

/** The argocd-cm key of Rollout Kit's undo action customization. */
export const ROLLOUT_ACTIONS_KEY = 'resource.customizations.actions.argoproj.io_Rollout';

export const UNDO_PATCH_FILE = join(
  import.meta.dirname,
  '..',
  '..',
  'extension',
  'argocd',
  'argocd-cm-undo.yaml',
);

export interface LocalAccount {
  name: string;
  /** bcrypt hash of the password, as `argocd account bcrypt` prints it. */
  passwordHash: string;
  /** The Argo CD RBAC role the account gets, e.g. `role:readonly`. */
  role: string;
}

export interface SettingsOptions {
  namespace: string;
  adminPasswordHash: string;
  accounts: LocalAccount[];
  /** The key argocd-server signs session tokens with. */
  serverSecretKey: string;
  /** argocd-cm data merged over the defaults (the undo action, say). */
  extraConfig: Record<string, string>;
  /** When the passwords were set; tokens issued before it are refused, so it lies in the past. */
  passwordMtime: Date;
}

/** The data of the argocd-cm patch the project ships for the undo action. */
export function undoActionConfig(file = UNDO_PATCH_FILE): Record<string, string> {
  const patch = parseYaml(readFileSync(file, 'utf8')) as { data?: Record<string, unknown> };
  const value = patch.data?.[ROLLOUT_ACTIONS_KEY];
  if (typeof value !== 'string') throw new Error(`${file} has no data.${ROLLOUT_ACTIONS_KEY} string`);
  return { [ROLLOUT_ACTIONS_KEY]: value };
}

export function argoCdSettings(opts: SettingsOptions): { configMaps: V1ConfigMap[]; secret: V1Secret } {
  const metadata = (name: string) => ({ name, namespace: opts.namespace, labels: PART_OF });
  const mtime = opts.passwordMtime.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const secretData: Record<string, string> = {
    'server.secretkey': opts.serverSecretKey,
    'admin.password': opts.adminPasswordHash,
    'admin.passwordMtime': mtime,
  };
  const cmData: Record<string, string> = {
    'admin.enabled': 'true',
    // No Dex and no SSO: local accounts only.
    'users.anonymous.enabled': 'false',
    ...opts.extraConfig,
  };
  for (const account of opts.accounts) {
    cmData[`accounts.${account.name}`] = 'login';
    secretData[`accounts.${account.name}.password`] = account.passwordHash;
    secretData[`accounts.${account.name}.passwordMtime`] = mtime;
  }
  const policy = opts.accounts.map((a) => `g, ${a.name}, ${a.role}`).join('\n');
  return {
    configMaps: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata('argocd-cm'), data: cmData },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: metadata('argocd-rbac-cm'),
        // No default role: an account can do only what its role grants.
        data: { 'policy.default': '', 'policy.csv': `${policy}\n` },
      },
    ],
    secret: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: metadata('argocd-secret'),
      type: 'Opaque',
      stringData: secretData,
    },
  };
}
