// Runs before each integration test file: waits on a real cluster take longer than Jest's 5 s
// default (testTimeout is a global option, so the integration project sets it here).
import { jest } from '@jest/globals';

jest.setTimeout(180_000);
