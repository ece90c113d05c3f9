// Waiting for a started process to be ready, failing at once (with its log) if it exits first,
// instead of waiting out the timeout for something that will never answer.
import { listeningSocketsOf } from '../control-plane/listening.ts';
import { isAlive, tail } from '../control-plane/processes.ts';

export interface StartedProcess {
  pid: number;
  log: string;
}

const TIMEOUT_MS = 90_000;

async function poll(
  what: string,
  started: StartedProcess,
  ready: () => Promise<string | true>,
): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    if (!isAlive(started.pid))
      throw new Error(`${what}: the process exited; its log:\n${tail(started.log, 15)}`);
    const answer = await ready();
    if (answer === true) return;
    last = answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `timed out after ${TIMEOUT_MS / 1000} s waiting for ${what} (last: ${last}); its log:\n${tail(started.log, 15)}`,
  );
}

/** Waits until `url` answers with a 2xx status. */
export function waitForHttp(what: string, url: string, started: StartedProcess): Promise<void> {
  return poll(what, started, async () => {
    try {
      const response = await fetch(url);
      return response.ok ? true : `HTTP ${response.status}`;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  });
}

/** Waits until the process listens on `port` in its own network namespace (which may not be ours). */
export function waitForListening(what: string, started: StartedProcess, port: number): Promise<void> {
  return poll(what, started, async () =>
    listeningSocketsOf(started.pid, `/proc/${started.pid}/net`).some((s) => s.port === port)
      ? true
      : `not listening on ${port}`,
  );
}
