// Prints Jest's totals as one plain closing line ("jest: N passed, N failed, N skipped"), read
// from the --json output file, so CI logs end with a count any reader understands.
import { readFileSync } from 'node:fs';

interface JestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numRuntimeErrorTestSuites: number;
}

const file = process.argv[2];
if (!file) throw new Error('usage: jest-summary.ts <jest --json output file>');
const r = JSON.parse(readFileSync(file, 'utf8')) as JestJson;
const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
console.log(
  `jest: ${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests + r.numTodoTests} skipped`,
);
