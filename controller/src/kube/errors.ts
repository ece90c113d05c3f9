// The one place that reads HTTP status codes. Client exceptions (client-node 2.x `ApiException`
// with `.code` and `.body`, network failures from undici, our own raw requests) become a small
// set of error types that workers retry by type:
//   NotFoundError 404 · ConflictError 409 (re-read and retry at once, never overwrite) ·
//   InvalidError 422 / 400 · ForbiddenError 401 / 403 · GoneError 410 (re-list) ·
//   TransientError 429, 5xx, timeouts and network failures (back off and retry).
// Each carries the action that failed ("scaling ReplicaSet web-7d9f to 3") as its message, the
// API's own message as `reason`, and the original exception as `cause`.

export type KubeErrorKind =
  'NotFound' | 'Conflict' | 'Invalid' | 'Forbidden' | 'Gone' | 'Transient' | 'Unknown';

export class KubeError extends Error {
  readonly kind: KubeErrorKind = 'Unknown';
  /** HTTP status code, or undefined for a network failure. */
  readonly status: number | undefined;
  /** The API server's message (Status.message), when it gave one. */
  readonly reason: string | undefined;
  constructor(what: string, options: { cause: unknown; status?: number; reason?: string }) {
    super(options.reason ? `${what}: ${options.reason}` : what, { cause: options.cause });
    this.status = options.status;
    this.reason = options.reason;
    this.name = new.target.name;
  }
}
export class NotFoundError extends KubeError {
  override readonly kind = 'NotFound';
}
export class ConflictError extends KubeError {
  override readonly kind = 'Conflict';
}
export class InvalidError extends KubeError {
  override readonly kind = 'Invalid';
}
export class ForbiddenError extends KubeError {
  override readonly kind = 'Forbidden';
}
export class GoneError extends KubeError {
  override readonly kind = 'Gone';
}
export class TransientError extends KubeError {
  override readonly kind = 'Transient';
}

/** Error classes by kind, for callers that switch on `kind` rather than `instanceof`. */
export function errorKindForStatus(status: number | undefined): KubeErrorKind {
  if (status === undefined) return 'Transient'; // no response: network failure or timeout
  if (status === 404) return 'NotFound';
  if (status === 409) return 'Conflict';
  if (status === 400 || status === 422) return 'Invalid';
  if (status === 401 || status === 403) return 'Forbidden';
  if (status === 410) return 'Gone';
  if (status === 408 || status === 429 || status >= 500) return 'Transient';
  return 'Unknown';
}

const CLASSES = {
  NotFound: NotFoundError,
  Conflict: ConflictError,
  Invalid: InvalidError,
  Forbidden: ForbiddenError,
  Gone: GoneError,
  Transient: TransientError,
  Unknown: KubeError,
} as const;

/** Network-level failure codes (Node's and undici's) that mean "try again later". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; statusCode?: unknown };
  // ApiException; DOMException also has a numeric `code` (23 for TimeoutError), hence the range.
  if (typeof e.code === 'number' && e.code >= 100 && e.code < 600) return e.code;
  if (typeof e.statusCode === 'number') return e.statusCode; // Watch's non-200 response
  return undefined;
}

function isNetworkFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== 'object') return false;
    const { code, name } = e as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    if (e instanceof TypeError && e.message === 'fetch failed') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The API's Status.message from an ApiException body (a parsed object or a JSON string). */
function apiMessage(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  let body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    const text = body;
    try {
      body = JSON.parse(text);
    } catch {
      return text.length > 0 && text.length < 500 ? text : undefined;
    }
  }
  if (typeof body === 'object' && body !== null) {
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return undefined;
}

/**
 * Maps anything a client call threw to one of our types, saying what we were doing.
 * An error that is already a KubeError is wrapped again with the new context but keeps its kind.
 * Errors that are not HTTP or network failures (bugs) are returned unchanged.
 */
export function toKubeError(what: string, error: unknown): Error {
  if (error instanceof KubeError) {
    return new CLASSES[error.kind](what, { cause: error, status: error.status, reason: error.reason });
  }
  const status = statusOf(error);
  if (status !== undefined) {
    return new CLASSES[errorKindForStatus(status)](what, { cause: error, status, reason: apiMessage(error) });
  }
  if (isNetworkFailure(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new TransientError(what, { cause: error, reason });
  }
  return error instanceof Error ? error : new Error(`${what}: ${String(error)}`, { cause: error });
}

/** Runs one API call and maps its failure: `await kubeCall('scaling ReplicaSet web to 3', () => ...)`. */
export async function kubeCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toKubeError(what, error);
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeError && error.kind === 'NotFound';
}
export function isConflict(error: unknown): boolean {
  return error instanceof KubeError && error.kind === 'Conflict';
}
/** Whether retrying the same request later may succeed (429, 5xx, network). */
export function isTransient(error: unknown): boolean {
  return error instanceof KubeError && error.kind === 'Transient';
}
