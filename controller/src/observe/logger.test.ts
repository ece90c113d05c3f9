import { PassThrough } from 'node:stream';
import { createLogger, reconcileLogger, textLine } from './logger.ts';

function capture(format: 'json' | 'text', level: 'debug' | 'info' = 'info') {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  return { logger: createLogger({ format, level, destination: stream }), lines };
}

const flush = () => new Promise((r) => setImmediate(r));

test('JSON lines carry level names, the message and fields, and no pid/hostname', async () => {
  const { logger, lines } = capture('json');
  logger.info({ step: 2 }, 'step advanced');
  await flush();
  const record = JSON.parse(lines[0] ?? '{}');
  expect(record).toMatchObject({ level: 'info', msg: 'step advanced', step: 2 });
  expect(typeof record.time).toBe('number');
  expect(record.pid).toBeUndefined();
  expect(record.hostname).toBeUndefined();
});

test('the level filters', async () => {
  const quiet = capture('json', 'info');
  quiet.logger.debug('hidden');
  const verbose = capture('json', 'debug');
  verbose.logger.debug('shown');
  await flush();
  expect(quiet.lines).toHaveLength(0);
  expect(verbose.lines).toHaveLength(1);
});

test('a reconcile logger adds rollout, kind and reconcileId; errors go under err', async () => {
  const { logger, lines } = capture('json');
  const child = reconcileLogger(logger, { key: 'ns/web', kind: 'Rollout', reconcileId: 'abc123' });
  child.warn({ err: new Error('conflict') }, 'will retry');
  await flush();
  const record = JSON.parse(lines[0] ?? '{}');
  expect(record).toMatchObject({ rollout: 'ns/web', kind: 'Rollout', reconcileId: 'abc123', level: 'warn' });
  expect(record.err.message).toBe('conflict');
  expect(record.err.stack).toContain('conflict');
});

test('other kinds are named by their kind; an id is generated when not given', async () => {
  const { logger, lines } = capture('json');
  reconcileLogger(logger, { key: 'ns/run-1', kind: 'AnalysisRun' }).info('x');
  await flush();
  const record = JSON.parse(lines[0] ?? '{}');
  expect(record.analysisRun).toBe('ns/run-1');
  expect(record.reconcileId).toMatch(/^[0-9a-f]{8}$/);
});

test('text format writes one readable line per record', async () => {
  const { logger, lines } = capture('text');
  logger.info({ rollout: 'ns/web', note: 'two words' }, 'Rollout "web" paused');
  await flush();
  expect(lines[0]).toMatch(
    /^time="\d{4}-\d\d-\d\dT[^"]+" level=info msg="Rollout \\"web\\" paused" rollout=ns\/web note="two words"$/,
  );
});

test.each([
  {
    name: 'numeric level',
    record: { time: 0, level: 50, msg: 'boom' },
    want: 'time="1970-01-01T00:00:00.000Z" level=error msg="boom"',
  },
  {
    name: 'object field',
    record: { time: 0, level: 30, msg: 'm', a: { b: 1 } },
    want: 'time="1970-01-01T00:00:00.000Z" level=info msg="m" a="{\\"b\\":1}"',
  },
])('textLine: $name', ({ record, want }) => {
  expect(textLine(record)).toBe(want);
});
