// Polling with a deadline and a failure message that says what was awaited and what was seen.

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Calls `probe` until it returns something other than undefined or false, and returns that.
 * A probe that throws counts as "not yet"; its last error is reported on timeout, as is the
 * last value `observe` gave (a short description of the current state).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions & { observe?: () => Promise<unknown> | unknown } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  let seen = '';
  if (options.observe) {
    try {
      seen = `; last seen: ${JSON.stringify(await options.observe())}`;
    } catch (error) {
      seen = `; observing failed: ${String(error)}`;
    }
  }
  const err =
    lastError === undefined
      ? ''
      : `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${err}${seen}`);
}
