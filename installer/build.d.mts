// Types for build.mjs, so TypeScript (the benchmark, tests) can import it.
export const BUNDLE: string;
export function buildInstaller(): Promise<number>;
