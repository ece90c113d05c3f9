// The installer's entry point: read the environment, install, print the outcome and the elapsed
// time as upstream does, and exit with the failure's code unless IGNORE_FAILURE is true.
import { ignoresFailure, parseConfig } from './config.ts';
import { exitCodeOf, InstallFailure } from './failure.ts';
import { install } from './install.ts';

const started = performance.now();
const log = (line: string): void => void process.stdout.write(`${line}\n`);
// argocd-server runs as another user than this container: what it serves must be world-readable.
process.umask(0o022);

/** The message and its causes, one clause each, without stacks for the failures we understand. */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined && parts.length < 5; e = (e as { cause?: unknown }).cause) {
    parts.push(e instanceof Error ? e.message : String(e));
    if (!(e instanceof Error)) break;
  }
  return parts.join(': ');
}

let exitCode = 0;
const name = process.env['EXTENSION_NAME']?.trim() || 'the';
try {
  const config = parseConfig(process.env);
  if (config.enabled) await install(config, { log });
  else log(`${name} extension is disabled`);
} catch (error) {
  const code = exitCodeOf(error);
  log(`ERROR: failed to install ${name} extension: ${describe(error)} (exit code ${code})`);
  if (!(error instanceof InstallFailure) && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  if (ignoresFailure(process.env))
    log('IGNORE_FAILURE is true: exiting 0 so that argocd-server starts without it');
  else exitCode = code;
}
log(`Elapsed Time: ${Math.round(performance.now() - started)} ms`);
process.exitCode = exitCode;
