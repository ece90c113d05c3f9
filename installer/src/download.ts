import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { InstallFailure } from './failure.ts';

/** Statuses worth another try: the server or something in front of it is busy or restarting. */
const TRANSIENT_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
const FIRST_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 8000;
const MAX_RETRY_AFTER_MS = 30_000;

export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.has(status);
}

/**
 * How long to wait before retry number `retry` (1 for the first): 0.5 s doubling up to 8 s, or
 * longer when the server asked for it with `Retry-After: <seconds>` (at most 30 s). The HTTP-date
 * form of Retry-After is ignored.
 */
export function retryDelayMs(retry: number, retryAfter: string | null): number {
  const backoff = Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, retry - 1), MAX_RETRY_DELAY_MS);
  const asked = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) * 1000 : 0;
  return Math.max(backoff, Math.min(asked, MAX_RETRY_AFTER_MS));
}

/**
 * The archive's file name: the last segment of the URL's path, decoded, as upstream's
 * `basename $EXTENSION_URL` (without the query string, which upstream keeps by accident). It is
 * the name looked up in the checksum file.
 */
export function archiveFileName(url: URL): string {
  const last = url.pathname.split('/').pop() ?? '';
  let name: string;
  try {
    name = decodeURIComponent(last);
  } catch {
    name = last;
  }
  return name === '' || name.includes('/') ? 'extension.tar' : name;
}

/** A URL for logs: no credentials, no query string (either may hold a token). */
export function shownUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** The header upstream sends with EXTENSION_GIT_TOKEN: `token` for GitHub, `Bearer` elsewhere. */
export function authorization(url: URL, token: string | undefined): Record<string, string> {
  if (token === undefined) return {};
  return { authorization: url.hostname === 'github.com' ? `token ${token}` : `Bearer ${token}` };
}

export interface DownloadOptions {
  /** Time allowed for every attempt together, in milliseconds. */
  budgetMs: number;
  /** Extra attempts after a transient failure. */
  retries: number;
  /** Refuse bodies longer than this. */
  maxBytes: number;
  headers: Record<string, string>;
  /** One line of progress, for the log. */
  log: (line: string) => void;
}

type Attempt =
  | { ok: true; bytes: number }
  | { ok: false; failure: InstallFailure; transient: boolean; retryAfter: string | null };

/**
 * Downloads `url` into the file `path` (replacing it), following redirects, retrying transient
 * failures with back-off within `budgetMs`. Returns the number of bytes written. Throws
 * InstallFailure `http` (a non-2xx status), `timeout`, `network` (refused, reset, truncated body)
 * or `tooLarge`.
 */
export async function downloadToFile(url: URL, path: string, options: DownloadOptions): Promise<number> {
  const deadline = Date.now() + options.budgetMs;
  const signal = AbortSignal.timeout(options.budgetMs);
  for (let retry = 0; ; retry++) {
    const outcome = await attempt(url, path, signal, options);
    if (outcome.ok) return outcome.bytes;
    const { failure } = outcome;
    const delay = retryDelayMs(retry + 1, outcome.retryAfter);
    if (!outcome.transient || retry >= options.retries || Date.now() + delay >= deadline) throw failure;
    options.log(`${failure.message}; retrying in ${delay} ms (retry ${retry + 1} of ${options.retries})`);
    await sleep(delay);
  }
}

async function attempt(
  url: URL,
  path: string,
  signal: AbortSignal,
  options: DownloadOptions,
): Promise<Attempt> {
  const shown = shownUrl(url);
  try {
    const response = await fetch(url, { signal, headers: options.headers, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel();
      return {
        ok: false,
        failure: new InstallFailure('http', `GET ${shown} answered HTTP ${response.status}`),
        transient: isTransientStatus(response.status),
        retryAfter: response.headers.get('retry-after'),
      };
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > options.maxBytes) {
      await response.body?.cancel();
      throw new InstallFailure(
        'tooLarge',
        `${shown} is ${declared} bytes, more than the cap of ${options.maxBytes}`,
      );
    }
    return { ok: true, bytes: await saveBody(response, path, shown, options.maxBytes) };
  } catch (error) {
    if (error instanceof InstallFailure) throw error;
    if (signal.aborted) {
      throw new InstallFailure(
        'timeout',
        `downloading ${shown} took longer than ${options.budgetMs / 1000} s`,
        {
          cause: error,
        },
      );
    }
    return { ok: false, failure: networkFailure(shown, error), transient: true, retryAfter: null };
  }
}

async function saveBody(response: Response, path: string, shown: string, maxBytes: number): Promise<number> {
  const file = await open(path, 'w', 0o600);
  let bytes = 0;
  try {
    if (response.body === null) return 0;
    for await (const chunk of response.body) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) {
        throw new InstallFailure('tooLarge', `${shown} is more than the cap of ${maxBytes} bytes`);
      }
      await file.write(chunk);
    }
    return bytes;
  } finally {
    await file.close();
  }
}

/** fetch reports every socket problem as `TypeError: fetch failed` or `terminated`; the cause says which. */
function networkFailure(shown: string, error: unknown): InstallFailure {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error).message;
  const truncated = (error as Error).message === 'terminated';
  const what = truncated ? `the body of ${shown} was cut short` : `GET ${shown} failed`;
  return new InstallFailure('network', `${what} (${detail})`, { cause: error });
}
