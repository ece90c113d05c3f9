// A list+watch informer for one resource, namespaced or cluster-wide, written on the raw watch
// so that its failure handling is ours:
// - lists (paged), then watches from the list's resourceVersion; a watch the server closes or
//   that goes quiet is resumed from the last resourceVersion seen; a 410 Gone (expired
//   resourceVersion) re-lists at once; any other failure re-lists after a back-off (800 ms
//   doubling to 30 s, as client-go's reflector);
// - a re-list is diffed against the store, so handlers see the adds, updates and deletes that
//   happened while the watch was down;
// - every `resyncMs` each cached object is passed to the update handlers again (old === new);
// - decoding is lenient: a malformed object (no metadata.name, or refused by `decode`) is
//   reported to `onError` and skipped, and a handler that throws is reported and does not stop
//   the informer or the other handlers.
// The store is keyed "namespace/name" ("name" for cluster-scoped kinds). Objects in it are
// shared: never mutate them.
import { INSTANCE_ID_LABEL } from '@rollout-kit/api';
import type { KubeClient } from './client.ts';
import { GoneError, toKubeError } from './errors.ts';
import { backoffDelayMs, realTimers, type BackoffOptions, type Timers } from './work-queue.ts';

/** The fields the informer reads; any Kubernetes object has them. */
export interface KubeObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

/** Where a resource lives in the API. `group` is '' for the core group. */
export interface ResourceRef {
  group: string;
  version: string;
  /** Lower-case plural, as in the URL. */
  plural: string;
  namespaced: boolean;
}

/** `/apis/apps/v1/namespaces/ns/replicasets`, or cluster-wide without `namespace`. */
export function collectionPath(resource: ResourceRef, namespace?: string): string {
  const prefix =
    resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const scope = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${prefix}${scope}/${resource.plural}`;
}

/**
 * The label selector for --instance-id sharding of Argo kinds: objects labelled with this
 * instance's id, or, for the default instance (empty id), objects without the label.
 */
export function instanceIdSelector(instanceId: string): string {
  return instanceId ? `${INSTANCE_ID_LABEL}=${instanceId}` : `!${INSTANCE_ID_LABEL}`;
}

/** The store key of an object: "namespace/name", or "name" when it has no namespace. */
export function objectKey(object: KubeObject): string {
  const name = object.metadata?.name ?? '';
  const namespace = object.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

/** Splits a store key back into its parts. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: '', name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** What a watch event means for the informer: apply it, remember a resourceVersion, or re-list. */
export type WatchStep =
  | { apply: 'upsert' | 'delete'; resourceVersion: string | undefined }
  | { apply: 'bookmark'; resourceVersion: string | undefined }
  | { apply: 'relist'; gone: boolean; message: string }
  | { apply: 'ignore' };

/** Classifies one watch event (pure). An ERROR event carries a Status; code 410 means Gone. */
export function watchStep(type: string, object: unknown): WatchStep {
  const meta = (object as KubeObject | null)?.metadata;
  const resourceVersion = typeof meta?.resourceVersion === 'string' ? meta.resourceVersion : undefined;
  switch (type) {
    case 'ADDED':
    case 'MODIFIED':
      return { apply: 'upsert', resourceVersion };
    case 'DELETED':
      return { apply: 'delete', resourceVersion };
    case 'BOOKMARK':
      return { apply: 'bookmark', resourceVersion };
    case 'ERROR': {
      const status = object as { code?: unknown; message?: unknown } | null;
      return {
        apply: 'relist',
        gone: status?.code === 410,
        message: typeof status?.message === 'string' ? status.message : 'watch error',
      };
    }
    default:
      return { apply: 'ignore' };
  }
}

/** How a watch ended (pure): resume from the last resourceVersion, re-list now, or re-list after back-off. */
export function afterWatchEnd(error: unknown): 'resume' | 'relist' | 'backoff' {
  if (!error) return 'resume'; // the server closed it (timeoutSeconds)
  const e = error as { name?: unknown; statusCode?: unknown };
  if (e.statusCode === 410) return 'relist';
  if (e.name === 'TimeoutError') return 'resume'; // quiet for too long on our side
  return 'backoff';
}

export interface InformerOptions<T extends KubeObject> {
  client: KubeClient;
  resource: ResourceRef;
  /** Watch one namespace (for --namespaced); all when omitted. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Re-deliver every cached object to the update handlers this often (ms); 0 disables. */
  resyncMs?: number;
  /** Lenient decoder: returns the typed object, or undefined (or throws) for a malformed one. */
  decode?: (raw: unknown) => T | undefined;
  /** Failures that the informer recovered from: list/watch errors, malformed objects, handler throws. */
  onError?: (error: Error) => void;
  /** Back-off between failed lists/watches (default 800 ms doubling to 30 s). */
  backoff?: BackoffOptions;
  /** Server-side watch timeout in seconds before a clean resume (default 300). */
  watchTimeoutSeconds?: number;
  /** Page size of a list (default 500). */
  pageSize?: number;
  timers?: Timers;
}

export interface InformerHandlers<T> {
  add?(object: T): void;
  update?(old: T, object: T): void;
  delete?(object: T): void;
}

interface ListPage {
  items?: unknown[];
  metadata?: { resourceVersion?: string; continue?: string };
}

const RELIST_BACKOFF: BackoffOptions = { baseMs: 800, maxMs: 30_000 };
const LIST_TIMEOUT_MS = 60_000;
const QUICK_CLOSE_MS = 1_000;

export class Informer<T extends KubeObject> {
  private readonly options: InformerOptions<T>;
  private readonly timers: Timers;
  private readonly store = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private readonly path: string;
  private resourceVersion = '';
  private synced = false;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private watchAbort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private resyncHandle: unknown;
  private syncWaiters: (() => void)[] = [];
  private disconnecting = false;
  /** Counters for tests and logs: lists done, watches opened. */
  readonly stats = { lists: 0, watches: 0 };

  constructor(options: InformerOptions<T>) {
    this.options = options;
    this.timers = options.timers ?? realTimers;
    this.path = collectionPath(options.resource, options.namespace);
  }

  /** Adds handlers; add them before `start` to see the initial list as adds. */
  on(handlers: InformerHandlers<T>): void {
    this.handlers.push(handlers);
  }

  /** Starts listing and watching in the background; `waitForSync` awaits the first list. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
    this.scheduleResync();
  }

  /** Stops watching; resolves when the background loop has ended. The store is kept. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.resyncHandle !== undefined) this.timers.clearTimeout(this.resyncHandle);
    this.watchAbort?.abort();
    this.wake?.();
    await this.loop;
  }

  /** Whether the first list has completed (the store is a complete picture). */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once synced; rejects after `timeoutMs`. */
  waitForSync(timeoutMs = 60_000): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const handle = this.timers.setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${this.path} to sync`)),
        timeoutMs,
      );
      this.syncWaiters.push(() => {
        this.timers.clearTimeout(handle);
        resolve();
      });
    });
  }

  get(key: string): T | undefined {
    return this.store.get(key);
  }

  /** Cached objects, of one namespace when given. */
  list(namespace?: string): T[] {
    const all = [...this.store.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata?.namespace === namespace);
  }

  keys(): string[] {
    return [...this.store.keys()];
  }

  /** The resourceVersion the next watch resumes from. */
  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  /**
   * Drops the current watch connection as a network failure would; the informer recovers by
   * itself (re-list after back-off). For tests and for operators poking a stuck watch.
   */
  disconnect(): void {
    this.disconnecting = true;
    this.watchAbort?.abort(new Error('watch disconnected'));
  }

  private async run(): Promise<void> {
    let needList = true;
    let failures = 0;
    while (!this.stopped) {
      if (needList) {
        try {
          await this.relist();
          needList = false;
          failures = 0;
        } catch (error) {
          this.report(toKubeError(`listing ${this.path}`, error));
          await this.sleep(backoffDelayMs(failures++, this.options.backoff ?? RELIST_BACKOFF));
          continue;
        }
      }
      if (this.stopped) break;
      const opened = this.timers.now();
      const ended = await this.watchOnce();
      if (this.stopped) break;
      if (ended === 'resume') {
        // A server that closes every watch at once must not make us spin: back off then too.
        if (this.timers.now() - opened < QUICK_CLOSE_MS)
          await this.sleep(backoffDelayMs(failures++, this.options.backoff ?? RELIST_BACKOFF));
        else failures = 0;
        continue;
      }
      needList = true;
      if (ended === 'backoff')
        await this.sleep(backoffDelayMs(failures++, this.options.backoff ?? RELIST_BACKOFF));
    }
  }

  /** Lists every page, then replaces the store, telling handlers what changed. */
  private async relist(): Promise<void> {
    const items: unknown[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.options.client.requestJson<ListPage>('GET', this.path, {
        query: {
          labelSelector: this.options.labelSelector,
          fieldSelector: this.options.fieldSelector,
          limit: String(this.options.pageSize ?? 500),
          continue: continueToken,
        },
        // A list that hangs must not stall the informer for good: fail it and re-list.
        signal: AbortSignal.timeout(LIST_TIMEOUT_MS),
      });
      items.push(...(page.items ?? []));
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken && !this.stopped);
    this.stats.lists++;
    const fresh = new Map<string, T>();
    for (const raw of items) {
      const object = this.decode(raw);
      if (object) fresh.set(objectKey(object), object);
    }
    for (const [key, old] of [...this.store]) {
      if (!fresh.has(key)) {
        this.store.delete(key);
        this.emit((h) => h.delete?.(old));
      }
    }
    for (const [key, object] of fresh) this.upsert(key, object);
    this.resourceVersion = resourceVersion;
    if (!this.synced) {
      this.synced = true;
      const waiters = this.syncWaiters;
      this.syncWaiters = [];
      waiters.forEach((w) => w());
    }
  }

  /** Runs one watch to its end; says what to do next. */
  private watchOnce(): Promise<'resume' | 'relist' | 'backoff'> {
    return new Promise((resolve) => {
      let outcome: 'resume' | 'relist' | 'backoff' | undefined;
      const onEvent = (type: string, raw: unknown) => {
        if (outcome) return;
        const step = watchStep(type, raw);
        if (step.apply === 'relist') {
          outcome = step.gone ? 'relist' : 'backoff';
          if (!step.gone) this.report(new Error(`watching ${this.path}: ${step.message}`));
          this.watchAbort?.abort();
          return;
        }
        if (step.apply === 'ignore') return;
        if (step.resourceVersion) this.resourceVersion = step.resourceVersion;
        if (step.apply === 'bookmark') return;
        const object = this.decode(raw);
        if (!object) return;
        const key = objectKey(object);
        if (step.apply === 'upsert') {
          this.upsert(key, object);
        } else {
          const old = this.store.get(key) ?? object;
          this.store.delete(key);
          this.emit((h) => h.delete?.(old));
        }
      };
      const onDone = (error: unknown) => {
        if (!outcome) {
          // An abort can end the stream as a clean close; a disconnect must still re-list.
          outcome = this.disconnecting ? 'backoff' : afterWatchEnd(error);
          this.disconnecting = false;
          if (outcome === 'backoff' && !this.stopped)
            this.report(toKubeError(`watching ${this.path}`, error));
          if (outcome === 'relist')
            this.report(new GoneError(`watching ${this.path}`, { cause: error, status: 410 }));
        }
        resolve(outcome);
      };
      this.stats.watches++;
      this.options.client
        .watch(
          this.path,
          {
            resourceVersion: this.resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds: this.options.watchTimeoutSeconds ?? 300,
            labelSelector: this.options.labelSelector,
            fieldSelector: this.options.fieldSelector,
          },
          onEvent,
          onDone,
        )
        .then((abort) => {
          this.watchAbort = abort;
          if (this.stopped) abort.abort();
        })
        .catch(onDone);
    });
  }

  private upsert(key: string, object: T): void {
    const old = this.store.get(key);
    this.store.set(key, object);
    if (!old) this.emit((h) => h.add?.(object));
    else if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion)
      this.emit((h) => h.update?.(old, object));
  }

  private decode(raw: unknown): T | undefined {
    try {
      const name = (raw as KubeObject | null)?.metadata?.name;
      if (typeof name !== 'string' || name === '') throw new Error('no metadata.name');
      const object = this.options.decode ? this.options.decode(raw) : (raw as T);
      if (!object) throw new Error('refused by the decoder');
      return object;
    } catch (error) {
      const what = `decoding an object of ${this.path}`;
      this.report(
        new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error }),
      );
      return undefined;
    }
  }

  private emit(call: (handlers: InformerHandlers<T>) => void): void {
    for (const handlers of this.handlers) {
      try {
        call(handlers);
      } catch (error) {
        this.report(new Error(`an event handler of ${this.path} threw`, { cause: error }));
      }
    }
  }

  private scheduleResync(): void {
    const every = this.options.resyncMs ?? 0;
    if (!(every > 0) || this.stopped) return;
    this.resyncHandle = this.timers.setTimeout(() => {
      if (this.stopped) return;
      for (const object of this.store.values()) this.emit((h) => h.update?.(object, object));
      this.scheduleResync();
    }, every);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const handle = this.timers.setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        this.timers.clearTimeout(handle);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private report(error: Error): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A logging hook must not break the informer.
    }
  }
}
