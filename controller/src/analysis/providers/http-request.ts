// One HTTP(S) request with a deadline, for providers that call outside services. Built on
// node:http(s) rather than fetch because `insecure` (skip TLS verification) is a per-request
// option there, with no extra dependency.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface HttpRequestOptions {
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  insecure: boolean;
}

/** Resolves with the status and body of any answer; rejects on network failure or the deadline. */
export function sendHttp(url: string, options: HttpRequestOptions): Promise<HttpAnswer> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.reject(new Error(`invalid URL ${JSON.stringify(url)}`));
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    return Promise.reject(new Error(`unsupported URL scheme ${JSON.stringify(target.protocol)}`));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method,
        headers: options.headers,
        rejectUnauthorized: !options.insecure,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', (error: Error) => {
      if (error.name === 'AbortError' || error.name === 'TimeoutError')
        reject(new Error(`request to ${target.origin} timed out after ${options.timeoutMs / 1000} s`));
      else reject(error);
    });
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
