// Redis from Debian's redis-server package, the cache Argo CD's server, repo server and
// application controller share. One per Argo CD, on a free port of 127.0.0.1, nothing written to
// disk, recorded in the run's PID file like every other process of the test run.
import { createConnection } from 'node:net';
import { startProcess, tail } from '../control-plane/processes.ts';
import { freePorts } from '../control-plane/ports.ts';
import { waitFor } from '../support/wait-for.ts';

export const REDIS_SERVER = process.env.ROLLOUT_KIT_REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RunningRedis {
  address: string;
  pid: number;
}

/** Sends PING and resolves with the reply's first line. */
function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(2_000, () => socket.destroy(new Error('no reply to PING within 2 s')));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) {
        socket.end();
        resolve(reply.split('\r\n')[0] ?? '');
      }
    });
    socket.on('error', reject);
  });
}

/** Starts redis-server in `dir` (its working directory) and waits until it answers PING. */
export async function startRedis(runDir: string, name: string, dir: string): Promise<RunningRedis> {
  const [port] = (await freePorts(1)) as [number];
  const started = startProcess(runDir, name, REDIS_SERVER, [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--dir',
    dir,
    // A cache for one test file: no snapshots, no append-only file.
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
  ]);
  await waitFor(`${name} to answer PING on 127.0.0.1:${port}`, async () => (await ping(port)) === '+PONG', {
    timeoutMs: 20_000,
    observe: () => tail(started.log, 5),
  });
  return { address: `127.0.0.1:${port}`, pid: started.pid };
}
