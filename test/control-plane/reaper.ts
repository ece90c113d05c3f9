// A watchdog started beside each control plane that its owner does not mean to leave running
// (a test run). When the owner process disappears without stopping the control plane (killed,
// crashed, or interrupted before its teardown ran), it stops every recorded process group and
// removes the run directory. Usage: node reaper.ts <owner-pid> <run-dir> [<extra-dir>...]
import { rmSync } from 'node:fs';
import { isAlive, readPidRecords, sleep, stopAll } from './processes.ts';

const [ownerArg, runDir, ...extraDirs] = process.argv.slice(2);
const owner = Number(ownerArg);
if (!Number.isInteger(owner) || owner <= 0 || !runDir) {
  console.error('usage: reaper.ts <owner-pid> <run-dir> [<extra-dir>...]');
  process.exit(2);
}
// The owner stops the reaper with SIGTERM when it tears down normally.
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => undefined);

while (isAlive(owner)) await sleep(500);
const records = readPidRecords(runDir).filter((r) => r.pid !== process.pid);
await stopAll(records, 5_000);
for (const dir of [runDir, ...extraDirs]) rmSync(dir, { recursive: true, force: true });
