// Starting and stopping the control plane's processes. Each runs in its own process group (so a
// Ctrl-C in the terminal reaches only our handlers, which then stop them in order), logs to a
// file in the run directory, and is recorded by PID in `<run>/pids`. Processes are only ever
// stopped through that record: never by name, so nothing else on the machine is touched.
import { spawn } from 'node:child_process';
import { appendFileSync, openSync, closeSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Started {
  name: string;
  pid: number;
  log: string;
}

export interface PidRecord {
  name: string;
  pid: number;
}

/** Parses `<run>/pids`: one "name pid" a line, in start order. */
export function parsePidRecords(text: string): PidRecord[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((parts): parts is [string, string] => parts.length === 2 && /^\d+$/.test(parts[1] ?? ''))
    .map(([name, pid]) => ({ name, pid: Number(pid) }));
}

export function readPidRecords(runDir: string): PidRecord[] {
  const file = join(runDir, 'pids');
  return existsSync(file) ? parsePidRecords(readFileSync(file, 'utf8')) : [];
}

export function startProcess(
  runDir: string,
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Started {
  const log = join(runDir, `${name}.log`);
  const fd = openSync(log, 'a');
  try {
    const child = spawn(command, args, { cwd: runDir, env, detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    appendFileSync(join(runDir, 'pids'), `${name} ${child.pid}\n`);
    // The run directory's record, not this handle, decides what gets stopped.
    child.unref();
    child.on('error', () => undefined);
    return { name, pid: child.pid, log };
  } finally {
    closeSync(fd);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone: nothing to do.
  }
}

/** SIGTERM to every recorded process group, newest first, without waiting. Safe in a signal handler. */
export function terminateAll(records: PidRecord[]): void {
  for (const r of [...records].reverse()) signalGroup(r.pid, 'SIGTERM');
}

/**
 * Stops the recorded processes in reverse start order: SIGTERM to each group, up to `graceMs`
 * for it to exit, then SIGKILL. Returns the names of processes that needed SIGKILL.
 */
export async function stopAll(records: PidRecord[], graceMs = 10_000): Promise<string[]> {
  const killed: string[] = [];
  for (const r of [...records].reverse()) {
    if (!isAlive(r.pid)) continue;
    signalGroup(r.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isAlive(r.pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(r.pid)) {
      signalGroup(r.pid, 'SIGKILL');
      killed.push(r.name);
      const hardDeadline = Date.now() + 5_000;
      while (isAlive(r.pid) && Date.now() < hardDeadline) await sleep(50);
    }
  }
  return killed;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last `lines` lines of a log file, for failure messages. */
export function tail(file: string, lines = 30): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** This process's parent PID as the kernel sees it now. */
export function parentPid(): number {
  // Read from /proc rather than process.ppid: inside a Jest test environment `process` is a copy
  // taken when the environment was made, and its ppid never changes.
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // The command name (field 2) is in parentheses and may contain spaces: split after it.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * Calls `onOrphaned` once if this process's parent goes away (it is then re-parented, so its
 * parent PID changes). Used by processes that must never outlive whoever started them: Jest
 * workers whose main process was interrupted, and the foreground control plane. Returns a
 * function that stops watching.
 */
export function whenOrphaned(onOrphaned: () => void, intervalMs = 500): () => void {
  const parent = parentPid();
  const timer = setInterval(() => {
    if (parentPid() !== parent) {
      clearInterval(timer);
      onOrphaned();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
