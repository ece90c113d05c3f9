// Jest global setup for the integration project: one control plane for the whole run. Tests
// reach it through $KUBECONFIG (workers inherit this process's environment), and kubectl and
// the other pinned binaries are first on $PATH.
import { delimiter } from 'node:path';
import { startControlPlane, stopOnSignals, type ControlPlane } from '../control-plane/control-plane.ts';
import { binaryDirs, cacheDir, pinnedVersions } from '../control-plane/versions.ts';

declare global {
  var rolloutKitControlPlane: ControlPlane | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const cp = await startControlPlane({ reaper: true, keep: process.env.ROLLOUT_KIT_KEEP_RUN === '1' });
  stopOnSignals(cp);
  globalThis.rolloutKitControlPlane = cp;
  process.env.KUBECONFIG = cp.kubeconfig;
  // The official kubectl-argo-rollouts plugin (make argo-plugin) is found by kubectl on PATH.
  process.env.PATH = [binaryDirs(pinnedVersions(), cacheDir()).argoPlugin, cp.path].join(delimiter);
  process.env.ROLLOUT_KIT_RUN_DIR = cp.runDir;
  process.stderr.write(
    `\n[control-plane] up in ${((Date.now() - started) / 1000).toFixed(1)} s at ${cp.server}\n`,
  );
}
