// Records core/v1 Events about an object, as client-go's recorder does: source component
// `rollouts-controller`, and a repeat of the same event (same object, type, reason, message)
// increments `count` and `lastTimestamp` of the Event already written instead of writing a new
// one. Recording never throws: an Event is worth less than the reconcile that produced it, so
// failures go to `onError`.
import type { KubeClient } from './client.ts';
import { isNotFound, kubeCall } from './errors.ts';
import { realTimers, type Timers } from './work-queue.ts';

export const EVENT_SOURCE_COMPONENT = 'rollouts-controller';

/** The object an Event is about. */
export interface InvolvedObject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
}

export interface EventInput {
  type: 'Normal' | 'Warning';
  /** Upstream reason, e.g. RolloutUpdated, ScalingReplicaSet. */
  reason: string;
  message: string;
}

/** Identity of an Event for de-duplication: the same object, type, reason and message. */
export function eventAggregateKey(object: InvolvedObject, event: EventInput, component: string): string {
  return [
    component,
    object.kind,
    object.namespace,
    object.name,
    object.uid ?? '',
    event.type,
    event.reason,
    event.message,
  ].join('\u0000');
}

/** client-go's Event name: the object name and the time in nanoseconds, in hex. */
export function eventName(objectName: string, nowMs: number): string {
  return `${objectName}.${(BigInt(Math.floor(nowMs)) * 1_000_000n).toString(16)}`;
}

/** Event timestamps are RFC 3339 to the second. */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The Event to create for a first occurrence (pure). */
export function newEvent(
  object: InvolvedObject,
  event: EventInput,
  options: { component: string; host?: string; now: number },
): Record<string, unknown> {
  const at = eventTime(options.now);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: eventName(object.name, options.now), namespace: object.namespace },
    involvedObject: { ...object },
    reason: event.reason,
    message: event.message,
    type: event.type,
    source: options.host
      ? { component: options.component, host: options.host }
      : { component: options.component },
    reportingComponent: options.component,
    reportingInstance: options.host ?? '',
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
  };
}

export interface EventRecorderOptions {
  client: KubeClient;
  component?: string;
  host?: string;
  /** Called for each event recorded (also repeats): feed rollout_events_total. */
  onRecorded?: (object: InvolvedObject, event: EventInput) => void;
  onError?: (error: Error) => void;
  /** How many distinct events to remember for aggregation (default 4096). */
  cacheSize?: number;
  timers?: Timers;
}

interface Seen {
  namespace: string;
  name: string;
  count: number;
}

export class EventRecorder {
  private readonly o: EventRecorderOptions;
  private readonly seen = new Map<string, Seen>();
  private readonly timers: Timers;

  constructor(options: EventRecorderOptions) {
    this.o = options;
    this.timers = options.timers ?? realTimers;
  }

  /** Writes (or aggregates) the Event; resolves when done, never rejects. */
  async record(object: InvolvedObject, event: EventInput): Promise<void> {
    const component = this.o.component ?? EVENT_SOURCE_COMPONENT;
    const key = eventAggregateKey(object, event, component);
    try {
      this.o.onRecorded?.(object, event);
      const seen = this.seen.get(key);
      if (seen && (await this.increment(seen))) {
        this.remember(key, seen);
        return;
      }
      const body = newEvent(object, event, { component, host: this.o.host, now: this.timers.now() });
      const what = `recording Event ${event.reason} for ${object.kind} ${object.namespace}/${object.name}`;
      const created = await kubeCall(what, () =>
        this.o.client.requestJson<{ metadata?: { name?: string } }>(
          'POST',
          `/api/v1/namespaces/${encodeURIComponent(object.namespace)}/events`,
          { body },
        ),
      );
      const name = created.metadata?.name ?? (body.metadata as { name: string }).name;
      this.remember(key, { namespace: object.namespace, name, count: 1 });
    } catch (error) {
      this.o.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Bumps count on the Event already written; false when it is gone (expired by the API). */
  private async increment(seen: Seen): Promise<boolean> {
    const count = seen.count + 1;
    try {
      await kubeCall(`aggregating Event ${seen.namespace}/${seen.name}`, () =>
        this.o.client.requestJson(
          'PATCH',
          `/api/v1/namespaces/${encodeURIComponent(seen.namespace)}/events/${encodeURIComponent(seen.name)}`,
          {
            body: { count, lastTimestamp: eventTime(this.timers.now()) },
            contentType: 'application/strategic-merge-patch+json',
          },
        ),
      );
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    seen.count = count;
    return true;
  }

  private remember(key: string, seen: Seen): void {
    this.seen.delete(key); // re-insert: the Map's order is least recently used first
    this.seen.set(key, seen);
    const limit = this.o.cacheSize ?? 4096;
    while (this.seen.size > limit) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
  }
}
