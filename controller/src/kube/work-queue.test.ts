import { WorkQueue, backoffDelayMs, earliestDue, type Timers } from './work-queue.ts';

/** Timers moved by hand: nothing fires until `advance`. */
class ManualTimers implements Timers {
  private time = 1_000;
  private seq = 0;
  readonly pending = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.time + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Delays of the pending timers, soonest first. */
  delays(): number[] {
    return [...this.pending.values()].map((t) => t.at - this.time).sort((a, b) => a - b);
  }
  advance(ms: number): void {
    this.time += ms;
    for (const [id, t] of [...this.pending]) {
      if (t.at <= this.time) {
        this.pending.delete(id);
        t.fn();
      }
    }
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets queued promise callbacks (worker hand-offs) run. */
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
};

describe('backoffDelayMs', () => {
  test.each([
    { name: 'first failure', failures: 0, want: 5 },
    { name: 'second failure doubles', failures: 1, want: 10 },
    { name: 'fifth failure', failures: 4, want: 80 },
    { name: 'just below the cap', failures: 17, want: 655_360 },
    { name: 'capped at 1000 s', failures: 18, want: 1_000_000 },
    { name: 'huge counts stay capped', failures: 5000, want: 1_000_000 },
    { name: 'negative is treated as first', failures: -1, want: 5 },
    { name: 'NaN is treated as first', failures: Number.NaN, want: 5 },
  ])('$name', ({ failures, want }) => {
    expect(backoffDelayMs(failures)).toBe(want);
  });

  test('custom base and cap', () => {
    expect(backoffDelayMs(3, { baseMs: 100, maxMs: 500 })).toBe(500);
    expect(backoffDelayMs(2, { baseMs: 100, maxMs: 500 })).toBe(400);
  });
});

describe('earliestDue', () => {
  test.each([
    { name: 'nothing pending', pending: undefined, wanted: 50, want: 50 },
    { name: 'pending is earlier: kept', pending: 10, wanted: 50, want: 10 },
    { name: 'wanted is earlier: replaces', pending: 90, wanted: 50, want: 50 },
  ])('$name', ({ pending, wanted, want }) => {
    expect(earliestDue(pending, wanted)).toBe(want);
  });
});

describe('WorkQueue', () => {
  test('a key queued twice is handled once', async () => {
    const queue = new WorkQueue({ timers: new ManualTimers() });
    const seen: string[] = [];
    queue.add('ns/a');
    queue.add('ns/a');
    queue.add('ns/b');
    expect(queue.depth).toBe(2);
    queue.run(async (key) => void seen.push(key), 2);
    await settle();
    expect(seen).toEqual(['ns/a', 'ns/b']);
    await queue.shutdown();
  });

  test('a key added while being handled is handled again once, never concurrently', async () => {
    const queue = new WorkQueue({ timers: new ManualTimers() });
    const gate = deferred();
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    queue.run(async () => {
      calls++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      if (calls === 1) await gate.promise;
      running--;
    }, 4);
    queue.add('ns/a');
    await settle();
    queue.add('ns/a');
    queue.add('ns/a');
    await settle();
    expect(calls).toBe(1); // the second pass waits for the first
    gate.resolve();
    await settle();
    expect(calls).toBe(2);
    expect(maxRunning).toBe(1);
    await queue.shutdown();
  });

  test('no more workers than asked for', async () => {
    const queue = new WorkQueue({ timers: new ManualTimers() });
    const gate = deferred();
    let running = 0;
    let maxRunning = 0;
    queue.run(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await gate.promise;
      running--;
    }, 2);
    for (const k of ['a', 'b', 'c', 'd', 'e']) queue.add(`ns/${k}`);
    await settle();
    expect(running).toBe(2);
    expect(queue.depth).toBe(3);
    gate.resolve();
    await settle();
    expect(maxRunning).toBe(2);
    expect(queue.depth).toBe(0);
    await queue.shutdown();
  });

  test('failures back off exponentially per key and a success forgets', async () => {
    const timers = new ManualTimers();
    const retried: number[] = [];
    const queue = new WorkQueue({ timers, observer: { retried: (_k, _e, delay) => retried.push(delay) } });
    let failuresLeft = 3;
    let successes = 0;
    queue.run(async () => {
      if (failuresLeft-- > 0) throw new Error('API unavailable');
      successes++;
    }, 1);
    queue.add('ns/a');
    await settle();
    expect(timers.delays()).toEqual([5]);
    timers.advance(4);
    await settle();
    expect(successes).toBe(0); // not yet due
    timers.advance(1);
    await settle();
    expect(timers.delays()).toEqual([10]);
    timers.advance(10);
    await settle();
    expect(timers.delays()).toEqual([20]);
    expect(queue.numRequeues('ns/a')).toBe(3);
    timers.advance(20);
    await settle();
    expect(successes).toBe(1);
    expect(retried).toEqual([5, 10, 20]);
    expect(queue.numRequeues('ns/a')).toBe(0);
    await queue.shutdown();
  });

  test('back-off of one key does not delay another', async () => {
    const timers = new ManualTimers();
    const queue = new WorkQueue({ timers });
    const seen: string[] = [];
    queue.run(async (key) => {
      seen.push(key);
      if (key === 'ns/bad') throw new Error('fails');
    }, 1);
    queue.add('ns/bad');
    queue.add('ns/good');
    await settle();
    expect(seen).toEqual(['ns/bad', 'ns/good']);
    expect(queue.numRequeues('ns/good')).toBe(0);
    await queue.shutdown();
  });

  test('addAfter fires at the earliest requested time, once', async () => {
    const timers = new ManualTimers();
    const queue = new WorkQueue({ timers });
    const seen: string[] = [];
    queue.run(async (key) => void seen.push(key), 1);
    queue.addAfter('ns/a', 10_000);
    queue.addAfter('ns/a', 3_000);
    queue.addAfter('ns/a', 8_000);
    expect(timers.delays()).toEqual([3_000]);
    timers.advance(2_999);
    await settle();
    expect(seen).toEqual([]);
    timers.advance(1);
    await settle();
    expect(seen).toEqual(['ns/a']);
    expect(timers.delays()).toEqual([]);
    await queue.shutdown();
  });

  test('a handler asking to look again after ms is requeued then', async () => {
    const timers = new ManualTimers();
    const queue = new WorkQueue({ timers });
    let calls = 0;
    queue.run(async () => (++calls === 1 ? { requeueAfterMs: 10_000 } : undefined), 1);
    queue.add('ns/paused');
    await settle();
    expect(timers.delays()).toEqual([10_000]);
    timers.advance(10_000);
    await settle();
    expect(calls).toBe(2);
    await queue.shutdown();
  });

  test('shutdown waits for in-flight handlers, drops queued keys and cancels timers', async () => {
    const timers = new ManualTimers();
    const queue = new WorkQueue({ timers });
    const gate = deferred();
    const seen: string[] = [];
    let finished = false;
    queue.run(async (key) => {
      seen.push(key);
      await gate.promise;
      finished = true;
    }, 1);
    queue.add('ns/a');
    queue.add('ns/b');
    queue.addAfter('ns/c', 1_000);
    await settle();
    let stopped = false;
    const stopping = queue.shutdown().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false); // ns/a still in flight
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
    expect(seen).toEqual(['ns/a']);
    expect(timers.delays()).toEqual([]);
    queue.add('ns/d');
    expect(queue.depth).toBe(0);
  });

  test('the observer sees adds and depth', async () => {
    const adds: string[] = [];
    const depths: number[] = [];
    const queue = new WorkQueue({
      timers: new ManualTimers(),
      observer: { added: (k) => adds.push(k), depth: (d) => depths.push(d) },
    });
    queue.add('ns/a');
    queue.add('ns/b');
    queue.add('ns/a');
    expect(adds).toEqual(['ns/a', 'ns/b']);
    expect(depths).toEqual([1, 2]);
    await queue.shutdown();
  });
});
