// Runs before each integration test file, inside the Jest worker.
import { jest } from '@jest/globals';
import { whenOrphaned } from '../control-plane/processes.ts';

// Waits on a real cluster take longer than Jest's 5 s default (testTimeout is a global option,
// so the integration project sets it here).
jest.setTimeout(180_000);

// If the main Jest process is interrupted or killed, its workers would go on running tests on
// their own; this ends the worker instead (its control planes have reapers of their own).
afterAll(whenOrphaned(() => process.exit(1)));
