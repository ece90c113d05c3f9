// `rk get rollout` on a live blue-green Rollout run by our controller, compared with what the
// official `kubectl argo rollouts` plugin prints for the same object: the header (Strategy
// BlueGreen, images with their stable/active/preview roles) and the tree's roles — preview while
// paused, then `delay:` on the old active ReplicaSet after the promote — and `rk promote`/`status`.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { controllerPerFile } from '../support/controller.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { argoRollouts } from '../support/rollouts.ts';
import { blueGreenRollout, deployFirst, healthyOn, updateToGreen } from './bluegreen-support.ts';

const rkPath = join(import.meta.dirname, '..', '..', 'controller', 'src', 'cli', 'rk.ts');

function rk(namespace: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [rkPath, '-n', namespace, ...args],
      { env: { ...process.env, TERM: 'xterm' }, timeout: 120_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`rk ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
    );
  });
}

const ns = namespacePerTest();
controllerPerFile('bluegreen-cli');

/** The header of `get rollout` (everything before the tree). */
const header = (text: string) => text.split('\n\nNAME')[0];
/** Tree rows without the AGE column and with the remaining delay (which ticks) as `delay:…`. */
function treeRows(text: string): string[] {
  const tree = text.split('\n\n')[1] ?? '';
  return tree
    .trimEnd()
    .split('\n')
    .map((line) =>
      line
        .trimEnd()
        .split(/ {2,}/)
        .filter((cell) => !/^(\d+[smhdy])+$|^AGE$/.test(cell))
        .map((cell) => cell.replace(/delay:\S+/, 'delay:…'))
        .join(' | '),
    );
}

test('rk get rollout shows the blue-green roles as the official plugin does, before and after the promote', async () => {
  const first = await deployFirst(
    ns.name,
    blueGreenRollout({
      image: 'argoproj/rollouts-demo:blue',
      blueGreen: { autoPromotionEnabled: false, scaleDownDelaySeconds: 120 },
    }),
  );
  const blue = first.status!.stableRS!;
  const paused = await updateToGreen(ns.name);
  const green = paused.status!.currentPodHash!;

  const ours = await rk(ns.name, 'get', 'rollout', 'web', '--no-color');
  expect(ours).toContain('Strategy:        BlueGreen\n');
  expect(ours).toContain(
    'Images:          argoproj/rollouts-demo:blue (stable, active)\n                 argoproj/rollouts-demo:green (preview)\n',
  );
  expect(ours).toMatch(new RegExp(`⧉ web-${green} +ReplicaSet +✔ Healthy +\\S+ +preview`));
  expect(ours).toMatch(new RegExp(`⧉ web-${blue} +ReplicaSet +✔ Healthy +\\S+ +stable,active`));
  const theirs = await argoRollouts(ns.name, 'get', 'rollout', 'web', '--no-color');
  expect(header(ours)).toBe(header(theirs));
  expect(treeRows(ours)).toEqual(treeRows(theirs));
  expect(await rk(ns.name, 'status', 'web', '--watch=false')).toBe('Paused - BlueGreenPause\n');

  expect(await rk(ns.name, 'promote', 'web')).toBe("rollout 'web' promoted\n");
  await healthyOn(ns.name, green);
  const after = await rk(ns.name, 'get', 'rollout', 'web', '--no-color');
  expect(after).toMatch(new RegExp(`⧉ web-${green} +ReplicaSet +✔ Healthy +\\S+ +stable,active`));
  expect(after).toMatch(new RegExp(`⧉ web-${blue} +ReplicaSet +✔ Healthy +\\S+ +delay:\\d+s`));
  const theirsAfter = await argoRollouts(ns.name, 'get', 'rollout', 'web', '--no-color');
  expect(header(after)).toBe(header(theirsAfter));
  expect(treeRows(after)).toEqual(treeRows(theirsAfter));
});
