// Structured logs: pino JSON lines on stdout (or a text line per record with --logformat text).
// Each reconcile gets a child logger with `rollout` ("ns/name"), `kind` and `reconcileId`;
// errors go under `err`. Never log whole objects: pod env values can be secrets.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'text';

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go; stdout by default (tests pass a stream). */
  destination?: NodeJS.WritableStream;
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** One JSON log record as a logfmt-like text line: `time=… level=info msg="…" key=value` (pure). */
export function textLine(record: Record<string, unknown>): string {
  const { time, level, msg, pid: _pid, hostname: _hostname, ...rest } = record;
  const parts = [
    `time="${typeof time === 'number' ? new Date(time).toISOString() : String(time ?? '')}"`,
    `level=${typeof level === 'number' ? (LEVEL_NAMES[level] ?? level) : String(level)}`,
    `msg=${JSON.stringify(String(msg ?? ''))}`,
  ];
  for (const [key, value] of Object.entries(rest)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    parts.push(`${key}=${/^[\w./:-]+$/.test(text) ? text : JSON.stringify(text)}`);
  }
  return parts.join(' ');
}

function textStream(out: NodeJS.WritableStream): DestinationStream {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        try {
          out.write(`${textLine(JSON.parse(line) as Record<string, unknown>)}\n`);
        } catch {
          out.write(`${line}\n`);
        }
      }
      done();
    },
  });
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.destination ?? process.stdout;
  const destination = options.format === 'text' ? textStream(out) : (out as DestinationStream);
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined, // no pid/hostname on every line
      timestamp: pino.stdTimeFunctions.epochTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** A short random id tying together the lines of one reconcile. */
export function newReconcileId(): string {
  return randomBytes(4).toString('hex');
}

/** The child logger of one reconcile: `{ rollout: 'ns/name', kind, reconcileId }` on each line. */
export function reconcileLogger(
  parent: Logger,
  fields: { key: string; kind: string; reconcileId?: string },
): Logger {
  const nameField =
    fields.kind === 'Rollout' ? 'rollout' : fields.kind.charAt(0).toLowerCase() + fields.kind.slice(1);
  return parent.child({
    [nameField]: fields.key,
    kind: fields.kind,
    reconcileId: fields.reconcileId ?? newReconcileId(),
  });
}
