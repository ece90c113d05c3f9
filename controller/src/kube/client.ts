// The controller's connection to the API server. Loads the kubeconfig (--kubeconfig, else
// KUBECONFIG / ~/.kube/config, else in-cluster, as client-node's default loading does), and sends
// every request, typed or raw, through one token bucket (--qps, --burst) and one request counter
// (fed to controller_clientset_k8s_request_total with kind, namespace, name, verb, status_code).
// Typed clients come from `api(CoreV1Api)`; informers use `requestJson` and `watch`.
// Failures are mapped by the callers with kube/errors.ts (`kubeCall`); raw requests throw
// client-node's ApiException exactly as typed clients do, so there is one mapping.
import {
  ApiException,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  HttpMethod,
  KubeConfig,
  RequestContext,
  ServerConfiguration,
  Watch,
  createConfiguration,
  setHeaderMiddleware,
  wrapHttpLibrary,
  type HttpLibrary,
  type ResponseContext,
} from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { realTimers, type Timers } from './work-queue.ts';

/** What a request was about, as the request metric labels it. */
export interface RequestInfo {
  /** Resource, plural as in the URL ("replicasets", "rollouts"), or "Unknown". */
  kind: string;
  namespace: string;
  name: string;
  /** List, Get, Watch, Create, Update, Patch, Delete, DeleteCollection or Unknown. */
  verb: string;
}

/** A finished request: its info and status code ("200", "409", or "<error>" with no response). */
export interface RequestRecord extends RequestInfo {
  statusCode: string;
}

/**
 * Reads an API URL: `/apis/apps/v1/namespaces/ns/replicasets/web/scale` with PATCH is
 * { kind: 'replicasets', namespace: 'ns', name: 'web', verb: 'Patch' }.
 */
export function requestInfo(method: string, url: string): RequestInfo {
  let path: string;
  let watch: boolean;
  try {
    const parsed = new URL(url, 'http://localhost');
    path = parsed.pathname;
    watch = parsed.searchParams.get('watch') === 'true' || parsed.searchParams.get('watch') === '1';
  } catch {
    return { kind: 'Unknown', namespace: '', name: '', verb: 'Unknown' };
  }
  const parts = path.split('/').filter((p) => p !== '');
  // Skip the group-version prefix: /api/v1 or /apis/<group>/<version>.
  let rest: string[];
  if (parts[0] === 'api') rest = parts.slice(2);
  else if (parts[0] === 'apis') rest = parts.slice(3);
  else return { kind: 'Unknown', namespace: '', name: '', verb: verbOf(method, false, watch) };
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1] ?? '';
    rest = rest.slice(2);
  }
  const kind = rest[0] ?? 'Unknown';
  const name = rest[1] ?? '';
  return { kind, namespace, name, verb: verbOf(method, name !== '', watch) };
}

function verbOf(method: string, named: boolean, watch: boolean): string {
  switch (method.toUpperCase()) {
    case 'GET':
      return watch ? 'Watch' : named ? 'Get' : 'List';
    case 'POST':
      return 'Create';
    case 'PUT':
      return 'Update';
    case 'PATCH':
      return 'Patch';
    case 'DELETE':
      return named ? 'Delete' : 'DeleteCollection';
    default:
      return 'Unknown';
  }
}

/** A token bucket's state: tokens available (negative when requests wait) at time `at` (ms). */
export interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Takes one token for a request at `now`: refills at `qps` per second up to `burst`, and returns
 * how long the request must wait (0 when a token was free). Waiting requests borrow from the
 * future, so they go out in order at `qps`. qps <= 0 means no limit.
 * Example: qps 40, burst 80, empty at t0 → the next request waits 25 ms.
 */
export function takeToken(
  bucket: Bucket,
  now: number,
  limits: { qps: number; burst: number },
): { bucket: Bucket; waitMs: number } {
  if (!(limits.qps > 0)) return { bucket, waitMs: 0 };
  const burst = Math.max(1, limits.burst);
  const refilled = Math.min(burst, bucket.tokens + ((now - bucket.at) * limits.qps) / 1000);
  const tokens = refilled - 1;
  const waitMs = tokens >= 0 ? 0 : Math.ceil((-tokens * 1000) / limits.qps);
  return { bucket: { tokens, at: now }, waitMs };
}

/** The rate limiter every request of a client goes through. */
export class RateLimiter {
  private bucket: Bucket;
  private readonly limits: { qps: number; burst: number };
  private readonly timers: Timers;
  constructor(limits: { qps: number; burst: number }, timers: Timers = realTimers) {
    this.limits = limits;
    this.timers = timers;
    this.bucket = { tokens: Math.max(1, limits.burst), at: timers.now() };
  }
  /** Resolves when the caller may send one request. */
  async take(): Promise<void> {
    const { bucket, waitMs } = takeToken(this.bucket, this.timers.now(), this.limits);
    this.bucket = bucket;
    if (waitMs > 0) await new Promise<void>((resolve) => this.timers.setTimeout(resolve, waitMs));
  }
}

export interface KubeClientOptions {
  /** Path of a kubeconfig file (--kubeconfig); default: KUBECONFIG, ~/.kube/config, in-cluster. */
  kubeconfig?: string;
  /** Requests per second (--qps, default 40); <= 0 disables the limit. */
  qps?: number;
  /** Requests allowed at once above the rate (--burst, default 80). */
  burst?: number;
  /** Called once per finished request (typed, raw or watch): feed it to the request metric. */
  onRequest?: (record: RequestRecord) => void;
  timers?: Timers;
}

const USER_AGENT = 'rollout-kit-controller';
const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** Loads a kubeconfig: the given file, else client-node's default rules (KUBECONFIG, home, in-cluster). */
export function loadKubeConfig(path?: string): KubeConfig {
  const config = new KubeConfig();
  if (path) config.loadFromFile(path);
  else config.loadFromDefault();
  if (!config.getCurrentCluster())
    throw new Error(`no current cluster in the kubeconfig${path ? ` ${path}` : ''}`);
  return config;
}

/**
 * The namespace `--namespaced` watches: the kubeconfig context's, else POD_NAMESPACE, else the
 * service account's namespace file, else "default".
 */
export function defaultNamespace(config: KubeConfig, env: NodeJS.ProcessEnv = process.env): string {
  const fromContext = config.getContextObject(config.getCurrentContext())?.namespace;
  if (fromContext) return fromContext;
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || 'default';
  } catch {
    return 'default';
  }
}

export type WatchEventHandler = (type: string, object: unknown) => void;

export class KubeClient {
  readonly config: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly coordination: CoordinationV1Api;
  readonly custom: CustomObjectsApi;
  private readonly limiter: RateLimiter;
  private readonly onRequest: (record: RequestRecord) => void;
  private readonly httpApi: HttpLibrary;
  private readonly server: string;

  constructor(config: KubeConfig, options: Omit<KubeClientOptions, 'kubeconfig'> = {}) {
    this.config = config;
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error('no current cluster in the kubeconfig');
    this.server = cluster.server.replace(/\/+$/, '');
    this.limiter = new RateLimiter({ qps: options.qps ?? 40, burst: options.burst ?? 80 }, options.timers);
    this.onRequest = options.onRequest ?? (() => {});
    const base = createConfiguration().httpApi;
    this.httpApi = wrapHttpLibrary({
      send: (request: RequestContext) => this.send(request, () => base.send(request).toPromise()),
    });
    this.core = this.api(CoreV1Api);
    this.apps = this.api(AppsV1Api);
    this.coordination = this.api(CoordinationV1Api);
    this.custom = this.api(CustomObjectsApi);
  }

  /** A typed client-node API whose requests are rate-limited and counted. */
  api<T>(type: new (configuration: ReturnType<typeof createConfiguration>) => T): T {
    return new type(
      createConfiguration({
        baseServer: new ServerConfiguration(this.server, {}),
        authMethods: { default: this.config },
        httpApi: this.httpApi,
        middleware: [setHeaderMiddleware('User-Agent', USER_AGENT)],
      }),
    );
  }

  /**
   * A raw JSON request to `path` (e.g. `/apis/argoproj.io/v1alpha1/namespaces/ns/rollouts`).
   * Throws client-node's ApiException on a non-2xx answer (map it with `kubeCall`).
   */
  async requestJson<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: {
      query?: Record<string, string | undefined>;
      body?: unknown;
      contentType?: string;
      /** Aborts the request (e.g. `AbortSignal.timeout(ms)`); it then fails as a TransientError. */
      signal?: AbortSignal;
    } = {},
  ): Promise<T> {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const context = new RequestContext(url.toString(), HttpMethod[method]);
    context.setHeaderParam('Accept', 'application/json');
    context.setHeaderParam('User-Agent', USER_AGENT);
    if (options.body !== undefined) {
      context.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
      context.setBody(JSON.stringify(options.body));
    }
    if (options.signal) context.setSignal(options.signal);
    await this.config.applySecurityAuthentication(context);
    const response = await this.httpApi.send(context).toPromise();
    const text = await response.body.text();
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299) {
      throw new ApiException(
        response.httpStatusCode,
        `HTTP-Code: ${response.httpStatusCode}`,
        text,
        response.headers,
      );
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Opens a watch on `path` (a collection URL); `onEvent` gets each event's type (ADDED,
   * MODIFIED, DELETED, BOOKMARK, ERROR) and raw object; `onDone` gets the error that ended it,
   * or null when the server closed it. Returns the AbortController that closes it.
   */
  async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: WatchEventHandler,
    onDone: (error: unknown) => void,
  ): Promise<AbortController> {
    await this.limiter.take();
    const info = requestInfo('GET', `${path}?watch=true`);
    return new Watch(this.config).watch(path, query, onEvent, (error: unknown) => {
      const code = (error as { statusCode?: unknown } | null)?.statusCode;
      const statusCode = typeof code === 'number' ? String(code) : error ? '<error>' : '200';
      this.record({ ...info, statusCode });
      onDone(error);
    });
  }

  private async send(
    request: RequestContext,
    call: () => Promise<ResponseContext>,
  ): Promise<ResponseContext> {
    await this.limiter.take();
    const info = requestInfo(request.getHttpMethod(), request.getUrl());
    try {
      const response = await call();
      this.record({ ...info, statusCode: String(response.httpStatusCode) });
      return response;
    } catch (error) {
      this.record({ ...info, statusCode: '<error>' });
      throw error;
    }
  }

  private record(record: RequestRecord): void {
    try {
      this.onRequest(record);
    } catch {
      // A metrics hook must never fail a request.
    }
  }
}

/** Loads the kubeconfig and makes the client: the one call main.ts needs. */
export function createKubeClient(options: KubeClientOptions = {}): KubeClient {
  return new KubeClient(loadKubeConfig(options.kubeconfig), options);
}
