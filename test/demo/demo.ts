// `make demo`: starts the local control plane and shows it at work. Until the controller lands,
// it rolls a Deployment from one image to another across the KWOK nodes and prints each change,
// then keeps the cluster up for exploring until Ctrl-C (or exits at once with --once).
import { startControlPlane, stopOnSignals, kubectl } from '../control-plane/control-plane.ts';
import { sleep } from '../control-plane/processes.ts';

const once = process.argv.includes('--once');
const say = (line: string) => console.log(`[demo] ${line}`);

const cp = await startControlPlane({ reaper: true });
stopOnSignals(cp);
const k = (...args: string[]) => kubectl(cp.path, cp.kubeconfig, args);

say(
  `control plane up in ${Object.values(cp.timings)
    .reduce((a, b) => a + b, 0)
    .toFixed(1)} s at ${cp.server}`,
);
say(`nodes:\n${await k('get', 'nodes', '-o', 'wide')}`);
await k('create', 'deployment', 'rollouts-demo', '--image=argoproj/rollouts-demo:blue', '--replicas=5');
await k('rollout', 'status', 'deployment/rollouts-demo', '--timeout=60s');
say(`5 pods of rollouts-demo:blue are Ready (the images never run under KWOK: the pods are simulated)`);
say('changing the image to yellow and following the rolling update:');
await k('set', 'image', 'deployment/rollouts-demo', 'rollouts-demo=argoproj/rollouts-demo:yellow');
let last = '';
for (let i = 0; i < 120; i++) {
  const line = await k(
    'get',
    'replicasets',
    '-l',
    'app=rollouts-demo',
    '-o',
    'jsonpath={range .items[*]}{.spec.template.spec.containers[0].image}={.status.readyReplicas}/{.spec.replicas}  {end}',
  );
  if (line !== last) say(line);
  last = line;
  // Done when yellow has 5 of 5 ready and blue is scaled to 0 (readyReplicas is then omitted).
  if (/yellow=5\/5/.test(line) && /blue=0?\/0/.test(line)) break;
  await sleep(250);
}
say(`done:\n${await k('get', 'pods', '-o', 'wide')}`);
if (once) {
  await cp.stop();
  process.exit(0);
}
say(
  `the cluster stays up until Ctrl-C; in another shell:\n  export KUBECONFIG=${cp.kubeconfig}\n  ${cp.path.split(':')[0]}/kubectl get pods`,
);
setInterval(() => undefined, 1 << 30);
