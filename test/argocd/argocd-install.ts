// What an Argo CD install puts into the cluster before its processes start: Argo CD's own CRDs
// (Application, AppProject, and ApplicationSet, which argocd-server watches; copied from the Argo
// CD module at build time so they match the binary), a namespace of its own, and the settings
// (argocd-cm, argocd-rbac-cm, argocd-secret).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kube } from '../support/kube.ts';
import { waitFor } from '../support/wait-for.ts';
import { argoCdSettings, undoActionConfig } from './argocd-settings.ts';

const run = promisify(execFile);

export interface Account {
  name: string;
  password: string;
}

export interface Installed {
  namespace: string;
  admin: Account;
  /** A local account with `role:readonly`: it reads applications but may run no action. */
  viewer: Account;
}

async function applyArgoCdCrds(binDir: string): Promise<void> {
  await run('kubectl', ['apply', '--server-side', '--force-conflicts', '-f', join(binDir, 'crds')]);
  for (const crd of ['applications.argoproj.io', 'appprojects.argoproj.io', 'applicationsets.argoproj.io']) {
    await waitFor(`CRD ${crd} to be Established`, async () => {
      const { stdout } = await run('kubectl', [
        'get',
        `crd/${crd}`,
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Established")].status}',
      ]);
      return stdout.includes('True');
    });
  }
}

/** bcrypt, computed by Argo CD itself (no bcrypt library in the tests). */
async function bcrypt(argocd: string, password: string): Promise<string> {
  const { stdout } = await run(argocd, ['account', 'bcrypt', '--password', password]);
  const hash = stdout.trim();
  if (!/^\$2[aby]\$/.test(hash)) throw new Error(`argocd account bcrypt printed ${JSON.stringify(hash)}`);
  return hash;
}

/** Installs Argo CD's CRDs (idempotent) and a fresh namespace `namespace` with its settings. */
export async function installArgoCd(binDir: string, namespace: string): Promise<Installed> {
  await applyArgoCdCrds(binDir);
  await kube().core.createNamespace({
    body: { metadata: { name: namespace, labels: { 'rollout-kit.test/namespace': 'true' } } },
  });
  const admin = { name: 'admin', password: randomBytes(12).toString('base64url') };
  const viewer = { name: 'viewer', password: randomBytes(12).toString('base64url') };
  const argocd = join(binDir, 'argocd');
  const settings = argoCdSettings({
    namespace,
    adminPasswordHash: await bcrypt(argocd, admin.password),
    accounts: [
      { name: viewer.name, passwordHash: await bcrypt(argocd, viewer.password), role: 'role:readonly' },
    ],
    serverSecretKey: randomBytes(32).toString('base64'),
    extraConfig: undoActionConfig(),
    passwordMtime: new Date(Date.now() - 60_000),
  });
  for (const body of settings.configMaps) await kube().core.createNamespacedConfigMap({ namespace, body });
  await kube().core.createNamespacedSecret({ namespace, body: settings.secret });
  return { namespace, admin, viewer };
}

export async function uninstallArgoCd(namespace: string): Promise<void> {
  await kube()
    .core.deleteNamespace({ name: namespace })
    .catch(() => undefined);
}
