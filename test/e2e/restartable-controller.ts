// A controller that a test kills with SIGKILL and starts again as the same instance (one
// --instance-id for the test, no leader election), as the kill-and-restart tests need. Every
// process started is stopped after each test, and their log tails go to stderr when it failed.
import { applyCrds } from '../support/controller.ts';
import { launchController, newInstanceId, type ControllerProcess } from './controller-process.ts';

export interface RestartableController {
  /** The instance id of the current test: its Rollouts must carry it. */
  readonly instanceId: string;
  /** Every process started so far, in order. */
  readonly started: readonly ControllerProcess[];
  /** Starts the next controller process of this instance. */
  start(): ControllerProcess;
  /** Kills the process with SIGKILL and checks that it died of it. */
  crash(c: ControllerProcess): Promise<void>;
}

/** Registers the hooks for a file whose tests kill and restart the controller; `prefix` names the instance ids. */
export function restartableController(prefix: string): RestartableController {
  const started: ControllerProcess[] = [];
  let instanceId = '';
  beforeAll(async () => {
    await applyCrds();
  });
  beforeEach(() => {
    instanceId = newInstanceId(prefix);
  });
  afterEach(async () => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts)
      for (const c of started) process.stderr.write(`controller ${c.name} log:\n${c.tail(15)}\n`);
    await Promise.all(started.map((c) => c.stop()));
  });
  return {
    get instanceId() {
      return instanceId;
    },
    started,
    start: () => {
      const c = launchController(`${instanceId}-${started.length + 1}`, {
        args: [`--instance-id=${instanceId}`, '--leader-elect=false'],
      });
      started.push(c);
      return c;
    },
    crash: async (c) => {
      c.kill('SIGKILL');
      expect(await c.exited).toBe('SIGKILL');
    },
  };
}
