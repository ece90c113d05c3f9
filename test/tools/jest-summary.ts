// Prints Jest's totals as one plain closing line ("jest: N passed, N failed, N skipped"), read
// from the --json output file, so CI logs end with a count any reader understands; before it,
// the slowest test files, which is where a CI run's time goes.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface JestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numRuntimeErrorTestSuites: number;
  testResults?: { name: string; startTime?: number; endTime?: number }[];
}

const SLOWEST = 10;

const file = process.argv[2];
if (!file) throw new Error('usage: jest-summary.ts <jest --json output file>');
const r = JSON.parse(readFileSync(file, 'utf8')) as JestJson;
const timed = (r.testResults ?? [])
  .filter((t) => t.startTime !== undefined && t.endTime !== undefined)
  .map((t) => ({
    name: relative(process.cwd(), t.name),
    seconds: ((t.endTime ?? 0) - (t.startTime ?? 0)) / 1000,
  }))
  .sort((a, b) => b.seconds - a.seconds);
if (timed.length > 0) {
  const total = timed.reduce((sum, t) => sum + t.seconds, 0);
  console.log(`slowest test files (of ${timed.length}, ${total.toFixed(0)} s in all):`);
  for (const t of timed.slice(0, SLOWEST)) console.log(`  ${t.seconds.toFixed(1).padStart(6)} s  ${t.name}`);
}
const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
console.log(
  `jest: ${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests + r.numTodoTests} skipped`,
);
