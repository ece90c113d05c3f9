// A rate-limited work queue of "namespace/name" keys, with client-go's workqueue semantics:
// - a key is queued at most once (adding a queued key is a no-op);
// - a key is never handled by two workers at once: added while being handled, it is handled
//   again, once, after the current pass finishes;
// - a handler that throws is retried after an exponential per-key back-off (5 ms doubling to a
//   cap), reset ("forgotten") by the key's next success;
// - addAfter(key, ms) for timers (pause expiry, deadlines); the earliest pending timer wins;
// - `run` starts a bounded number of workers; `shutdown` stops taking keys, cancels timers,
//   drops what is queued and waits for the in-flight handlers to finish.
// Time comes in through a `Timers` dependency, so tests drive it without fake timers.

/** The clock and timers the queue uses; `realTimers` in production. */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface BackoffOptions {
  /** First retry delay, ms (client-go: 5 ms). */
  baseMs: number;
  /** Longest delay, ms (client-go: 1000 s). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5, maxMs: 1_000_000 };

/**
 * Delay before retrying a key that has already failed `failures` times before this failure
 * (0 for the first failure): base·2^failures, capped. With the defaults: 5, 10, 20, 40 ms … 1000 s.
 */
export function backoffDelayMs(failures: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  if (!Number.isFinite(failures) || failures < 0) return options.baseMs;
  // 2^failures overflows to Infinity long after the cap is reached; min() handles both.
  return Math.min(options.baseMs * 2 ** Math.floor(failures), options.maxMs);
}

/**
 * When a timer for a key should fire given the one already pending (if any): the earlier wins,
 * as in client-go's delaying queue, so a short pause timer is never pushed back by a long resync.
 */
export function earliestDue(pendingAt: number | undefined, wantedAt: number): number {
  return pendingAt === undefined ? wantedAt : Math.min(pendingAt, wantedAt);
}

/** What a handler returns: nothing (done), or a time to look again (requeue after ms). */
export type HandlerResult = undefined | { requeueAfterMs: number };
// `Promise<void>` is allowed too, so a handler with nothing to say needs no `return undefined`.
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type
export type Handler = (key: string) => Promise<HandlerResult | void>;

/** Hooks for metrics and logs; every member optional. */
export interface QueueObserver {
  added?(key: string): void;
  depth?(depth: number): void;
  retried?(key: string, error: unknown, delayMs: number): void;
  processed?(key: string, seconds: number): void;
}

export interface WorkQueueOptions {
  timers?: Timers;
  backoff?: BackoffOptions;
  observer?: QueueObserver;
}

export class WorkQueue {
  private readonly timers: Timers;
  private readonly backoff: BackoffOptions;
  private readonly observer: QueueObserver;
  // A FIFO as an array and a head index: Array.shift is O(n) on long queues.
  private queue: string[] = [];
  private head = 0;
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { at: number; handle: unknown }>();
  private waiters: (() => void)[] = [];
  private workers: Promise<void>[] = [];
  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.timers = options.timers ?? realTimers;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.observer = options.observer ?? {};
  }

  /** Queues `key` now, unless it is queued already or the queue is shutting down. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.observer.added?.(key);
    if (this.processing.has(key)) return; // handled again once the current pass is done
    this.queue.push(key);
    this.observer.depth?.(this.depth);
    this.waiters.shift()?.();
  }

  /** Queues `key` after `ms` milliseconds (at once when ms <= 0); the earliest pending timer wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (!(ms > 0)) {
      this.add(key);
      return;
    }
    const wantedAt = this.timers.now() + ms;
    const pending = this.delayed.get(key);
    const at = earliestDue(pending?.at, wantedAt);
    if (pending && pending.at === at) return;
    if (pending) this.timers.clearTimeout(pending.handle);
    const handle = this.timers.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, at - this.timers.now());
    this.delayed.set(key, { at, handle });
  }

  /** Queues `key` after its back-off and counts one more failure for it; returns the delay. */
  addRateLimited(key: string): number {
    const failures = this.failures.get(key) ?? 0;
    const delay = backoffDelayMs(failures, this.backoff);
    this.failures.set(key, failures + 1);
    this.addAfter(key, delay);
    return delay;
  }

  /** Resets the key's back-off (after a success). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** How many times the key has failed since it was last forgotten. */
  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Keys waiting to be handled now (not counting timers or keys being handled). */
  get depth(): number {
    return this.queue.length - this.head;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Starts `workers` concurrent workers calling `handler` for each key. A handler that throws
   * gets its key retried with back-off (and `observer.retried`); one that returns
   * `{ requeueAfterMs }` is forgotten and looked at again after that delay.
   */
  run(handler: Handler, workers: number): void {
    const count = Math.max(1, Math.floor(workers));
    for (let i = 0; i < count; i++) this.workers.push(this.work(handler));
  }

  /** Stops taking keys, cancels timers, and resolves once every in-flight handler has returned. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const { handle } of this.delayed.values()) this.timers.clearTimeout(handle);
    this.delayed.clear();
    this.queue = [];
    this.head = 0;
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
    await Promise.all(this.workers);
  }

  private async next(): Promise<string | undefined> {
    for (;;) {
      if (this.shuttingDown) return undefined;
      const key = this.shift();
      if (key !== undefined) {
        this.observer.depth?.(this.depth);
        this.dirty.delete(key);
        this.processing.add(key);
        return key;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private shift(): string | undefined {
    if (this.head >= this.queue.length) return undefined;
    const key = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return key;
  }

  private done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) {
      this.queue.push(key);
      this.observer.depth?.(this.depth);
      this.waiters.shift()?.();
    }
  }

  private async work(handler: Handler): Promise<void> {
    for (;;) {
      const key = await this.next();
      if (key === undefined) return;
      const started = this.timers.now();
      try {
        const result = await handler(key);
        this.forget(key);
        if (result && result.requeueAfterMs >= 0) this.addAfter(key, result.requeueAfterMs);
      } catch (error) {
        if (!this.shuttingDown) {
          const delay = this.addRateLimited(key);
          this.observer.retried?.(key, error, delay);
        }
      } finally {
        this.observer.processed?.(key, (this.timers.now() - started) / 1000);
        this.done(key);
      }
    }
  }
}
