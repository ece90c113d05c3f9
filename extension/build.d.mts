// Types for build.mjs, so TypeScript tests can import it.
export const BUNDLE_DIR: string;
export const BUNDLE_FILE: string;
export const BUNDLE_PATH: string;
export const DIST: string;
export const TAR: string;
export function bundle(): Promise<string>;
export function checkParses(code: string, filename?: string): void;
export function checkReact16(code: string): void;
export function pack(
  code: string,
  out?: { dist?: string; tar?: string },
): Promise<{ file: string; digest: string }>;
