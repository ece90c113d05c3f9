// Leader election on a coordination.k8s.io/v1 Lease with client-go's semantics:
// - a candidate takes the Lease when it does not exist, was released (no holder), or its holder
//   has not renewed it for leaseDuration as observed on OUR clock (the time we last saw the
//   record change), so clock skew between replicas does not matter;
// - the leader renews every retryPeriod; if it cannot renew for renewDeadline it steps down
//   (onStoppedLeading) before another replica can take over (renewDeadline < leaseDuration);
// - every write carries the resourceVersion it read (optimistic concurrency): a 409 loses the round;
// - `stop()` releases a held Lease (holder cleared, leaseDurationSeconds 1) so a successor takes
//   over at once, as client-go's ReleaseOnCancel.
// Defaults are upstream's: 15 s lease, 10 s renew deadline, 2 s retry period, Lease
// `argo-rollouts-controller-lock[-<instanceID>]` in POD_NAMESPACE, else the service account's
// namespace, else `argo-rollouts`.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { KubeClient } from './client.ts';
import { isConflict, isNotFound, kubeCall } from './errors.ts';
import { realTimers, type Timers } from './work-queue.ts';

/** The Lease fields leader election reads and writes (times are RFC 3339 strings). */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export type LeaseDecision =
  | { action: 'create' } // no Lease yet
  | { action: 'take' } // released or expired: becomes ours, one more transition
  | { action: 'renew' } // ours already
  | { action: 'wait'; holder: string }; // someone else holds a live Lease

/**
 * May `identity` take or renew the Lease now? `observedAt` is when we last saw its record
 * change (ms on our clock); the holder's lease runs out leaseDurationSeconds after that.
 */
export function leaseDecision(input: {
  spec: LeaseSpec | undefined;
  exists: boolean;
  identity: string;
  now: number;
  observedAt: number;
  defaultLeaseDurationMs: number;
}): LeaseDecision {
  if (!input.exists) return { action: 'create' };
  const holder = input.spec?.holderIdentity ?? '';
  if (holder === input.identity) return { action: 'renew' };
  if (holder === '') return { action: 'take' };
  const seconds = input.spec?.leaseDurationSeconds;
  const durationMs =
    typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : input.defaultLeaseDurationMs;
  if (input.observedAt + durationMs > input.now) return { action: 'wait', holder };
  return { action: 'take' };
}

/** Kubernetes MicroTime: RFC 3339 with exactly six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The Lease spec to write for a decision (pure). */
export function nextLeaseSpec(
  decision: LeaseDecision,
  current: LeaseSpec | undefined,
  options: { identity: string; now: number; leaseDurationSeconds: number },
): LeaseSpec | undefined {
  const now = microTime(options.now);
  switch (decision.action) {
    case 'wait':
      return undefined;
    case 'renew':
      return {
        ...current,
        holderIdentity: options.identity,
        leaseDurationSeconds: options.leaseDurationSeconds,
        renewTime: now,
        acquireTime: current?.acquireTime ?? now,
      };
    case 'create':
      return {
        holderIdentity: options.identity,
        leaseDurationSeconds: options.leaseDurationSeconds,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: 0,
      };
    case 'take':
      return {
        holderIdentity: options.identity,
        leaseDurationSeconds: options.leaseDurationSeconds,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: (current?.leaseTransitions ?? 0) + 1,
      };
  }
}

/** Upstream's Lease name: `argo-rollouts-controller-lock`, with `-<instanceID>` when set. */
export function leaseName(instanceId: string): string {
  return instanceId ? `argo-rollouts-controller-lock-${instanceId}` : 'argo-rollouts-controller-lock';
}

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** POD_NAMESPACE, else the service account's namespace file, else `argo-rollouts`. */
export function leaseNamespace(
  env: NodeJS.ProcessEnv = process.env,
  readNamespaceFile: () => string = () => readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8'),
): string {
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  try {
    const fromFile = readNamespaceFile().trim();
    if (fromFile) return fromFile;
  } catch {
    // not in a pod
  }
  return 'argo-rollouts';
}

/** A unique identity for this process, as client-go builds it: host name and a UUID. */
export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

export interface LeaderElectionOptions {
  client: KubeClient;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  onNewLeader?: (identity: string) => void;
  /** Failed rounds (API errors); the elector retries by itself. */
  onError?: (error: Error) => void;
  timers?: Timers;
}

interface LeaseObject {
  metadata?: { resourceVersion?: string };
  spec?: LeaseSpec;
}

export class LeaderElector {
  private readonly o: Required<Omit<LeaderElectionOptions, 'onNewLeader' | 'onError'>> &
    Pick<LeaderElectionOptions, 'onNewLeader' | 'onError'>;
  private leading = false;
  private stopped = false;
  private lastRenewed = 0;
  private observedRecord = '';
  private observedAt = 0;
  private lastLease: LeaseObject | undefined;
  private knownLeader = '';
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(options: LeaderElectionOptions) {
    this.o = {
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      timers: realTimers,
      ...options,
    };
    if (this.o.renewDeadlineMs >= this.o.leaseDurationMs)
      throw new Error('leader election: the renew deadline must be shorter than the lease duration');
  }

  /** Starts campaigning in the background. */
  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Stops campaigning; releases the Lease if held (then onStoppedLeading). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    if (this.leading) {
      await this.release().catch((error: unknown) => this.report(error));
      this.stepDown();
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      // A round may not outlive the renew deadline (client-go's per-renew timeout), so a hung
      // connection cannot keep a leader that has stopped renewing in charge.
      const budget = this.leading
        ? this.lastRenewed + this.o.renewDeadlineMs - this.o.timers.now()
        : this.o.renewDeadlineMs;
      const ok = await this.tryAcquireOrRenew(AbortSignal.timeout(Math.max(1, budget))).catch(
        (error: unknown) => {
          this.report(error);
          return false;
        },
      );
      if (this.stopped) break;
      const now = this.o.timers.now();
      if (ok) {
        this.lastRenewed = now;
        if (!this.leading) {
          this.leading = true;
          this.o.onStartedLeading();
        }
      } else if (this.leading && now - this.lastRenewed >= this.o.renewDeadlineMs) {
        this.stepDown();
      }
      // client-go adds up to 20% jitter while waiting to acquire, so candidates do not collide.
      const jitter = this.leading ? 0 : Math.random() * 0.2 * this.o.retryPeriodMs;
      await this.sleep(this.o.retryPeriodMs + jitter);
    }
  }

  private stepDown(): void {
    if (!this.leading) return;
    this.leading = false;
    this.o.onStoppedLeading();
  }

  private get path(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${this.o.namespace}/leases/${this.o.name}`;
  }

  /** One round: read the Lease, decide, write. True when we hold it afterwards. */
  private async tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const what = `electing a leader on Lease ${this.o.namespace}/${this.o.name}`;
    let lease: LeaseObject | undefined;
    try {
      lease = await kubeCall(what, () =>
        this.o.client.requestJson<LeaseObject>('GET', this.path, { signal }),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    const now = this.o.timers.now();
    this.observe(lease?.spec, now);
    const decision = leaseDecision({
      spec: lease?.spec,
      exists: lease !== undefined,
      identity: this.o.identity,
      now,
      observedAt: this.observedAt,
      defaultLeaseDurationMs: this.o.leaseDurationMs,
    });
    if (decision.action === 'wait') return false;
    const spec = nextLeaseSpec(decision, lease?.spec, {
      identity: this.o.identity,
      now,
      leaseDurationSeconds: Math.round(this.o.leaseDurationMs / 1000),
    });
    try {
      this.lastLease = await this.write(what, lease, spec, signal);
    } catch (error) {
      if (isConflict(error)) return false; // someone else wrote first: this round is lost
      throw error;
    }
    this.observe(this.lastLease.spec, now);
    return true;
  }

  private write(
    what: string,
    lease: LeaseObject | undefined,
    spec: LeaseSpec | undefined,
    signal?: AbortSignal,
  ): Promise<LeaseObject> {
    const body = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.o.name,
        namespace: this.o.namespace,
        resourceVersion: lease?.metadata?.resourceVersion,
      },
      spec,
    };
    const collection = this.path.slice(0, this.path.lastIndexOf('/'));
    return kubeCall(what, () =>
      lease
        ? this.o.client.requestJson<LeaseObject>('PUT', this.path, { body, signal })
        : this.o.client.requestJson<LeaseObject>('POST', collection, { body, signal }),
    );
  }

  /** Gives the Lease up so that a successor need not wait for it to expire. */
  private async release(): Promise<void> {
    const lease = this.lastLease;
    if (!lease || lease.spec?.holderIdentity !== this.o.identity) return;
    const now = microTime(this.o.timers.now());
    await this.write(`releasing Lease ${this.o.namespace}/${this.o.name}`, lease, {
      ...lease.spec,
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
    });
  }

  private observe(spec: LeaseSpec | undefined, now: number): void {
    const record = JSON.stringify(spec ?? null);
    if (record !== this.observedRecord) {
      this.observedRecord = record;
      this.observedAt = now;
    }
    const holder = spec?.holderIdentity ?? '';
    if (holder && holder !== this.knownLeader) {
      this.knownLeader = holder;
      this.o.onNewLeader?.(holder);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const handle = this.o.timers.setTimeout(() => resolve(), ms);
      this.wake = () => {
        this.o.timers.clearTimeout(handle);
        resolve();
      };
    });
  }

  private report(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    try {
      this.o.onError?.(err);
    } catch {
      // a logging hook must not break the elector
    }
  }
}
