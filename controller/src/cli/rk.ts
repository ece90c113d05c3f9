#!/usr/bin/env node
// `rk`, the Rollout Kit CLI (also `kubectl rk` through a kubectl-rk link): wiring only.
import { CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from './kube-options.ts';
import { buildProgram } from './program.ts';

const program = buildProgram({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  connect,
  now: () => Date.now(),
  sleep: (ms) => sleep(ms),
  readFile: (path) => readFileSync(path, 'utf8'),
  isTTY: process.stdout.isTTY === true,
  term: process.env.TERM,
});

process.on('SIGINT', () => process.exit(130));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; commander already printed its message.
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
