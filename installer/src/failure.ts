/**
 * Every way an install can fail, each with its own exit code so that `kubectl describe pod`
 * (which shows an init container's exit code) already says what went wrong. Codes are stable:
 * documentation and alerts may rely on them.
 */
export const EXIT_CODES = {
  unexpected: 1,
  config: 2,
  http: 3,
  timeout: 4,
  network: 5,
  checksum: 6,
  unsupportedArchive: 7,
  unsafeEntry: 8,
  tooLarge: 9,
} as const;

export type FailureKind = keyof typeof EXIT_CODES;

/** A failure we understand: the message is meant for the person reading the pod's log. */
export class InstallFailure extends Error {
  readonly kind: FailureKind;

  constructor(kind: FailureKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InstallFailure';
    this.kind = kind;
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}

/** The exit code for anything thrown: ours carry their own, the rest are unexpected. */
export function exitCodeOf(error: unknown): number {
  return error instanceof InstallFailure ? error.exitCode : EXIT_CODES.unexpected;
}
