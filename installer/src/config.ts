import { InstallFailure } from './failure.ts';
import { parseJsVars, varsStem, type JsVars } from './js-vars.ts';

/**
 * The installer is configured only through environment variables, with the names and defaults of
 * argocd-extension-installer so that existing Helm values and Kustomize patches keep working.
 * Variables marked "ours" are additions that upstream ignores.
 */
export interface EnabledConfig {
  enabled: true;
  /** EXTENSION_URL: where the tar or tar.gz is downloaded from (http or https). */
  url: URL;
  /** EXTENSION_CHECKSUM_URL: a sha256sum-style file holding a line for the archive's file name. */
  checksumUrl: URL | undefined;
  /** EXTENSION_SHA256 (ours): the expected sha256 of the archive, as 64 hex digits. */
  sha256: string | undefined;
  /** EXTENSION_NAME: used in messages and to name the EXTENSION_JS_VARS file and variable. */
  name: string;
  /** EXTENSION_VERSION: only printed, as upstream documents but never uses it. */
  version: string;
  /** MAX_DOWNLOAD_SEC (default 30) in milliseconds: the budget for each download, retries included. */
  maxDownloadMs: number;
  /** IGNORE_FAILURE (default false): report a failure but exit 0 so argocd-server still starts. */
  ignoreFailure: boolean;
  /** EXTENSION_JS_VARS: a JSON object of settings exposed to the extension as `window.<NAME>_VARS`. */
  jsVars: JsVars | undefined;
  /** EXTENSION_GIT_TOKEN: sent as an Authorization header to the two configured URLs. */
  gitToken: string | undefined;
  /** EXTENSIONS_DIR (ours, default /tmp/extensions): where argocd-server reads extensions from. */
  extensionsDir: string;
  /** DOWNLOAD_RETRIES (ours, default 3): extra attempts after a transient network or HTTP error. */
  retries: number;
  /** MAX_EXTRACT_MB (ours, default 256): cap on the bytes the archive may unpack to, against bombs. */
  maxExtractBytes: number;
}

export interface DisabledConfig {
  enabled: false;
  name: string;
  ignoreFailure: boolean;
}

export type Config = EnabledConfig | DisabledConfig;

export type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_EXTENSIONS_DIR = '/tmp/extensions';
const DEFAULT_MAX_DOWNLOAD_SEC = 30;
const DEFAULT_RETRIES = 3;
const DEFAULT_MAX_EXTRACT_MB = 256;
const MAX_RETRIES = 10;

/** IGNORE_FAILURE alone, for when the rest of the configuration cannot be read. */
export function ignoresFailure(env: Env): boolean {
  return flag(env, 'IGNORE_FAILURE', false);
}

/** True only for the word "true" in any case, as upstream only treats "true" as true. */
function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  return raw.toLowerCase() === 'true';
}

function text(env: Env, name: string): string {
  return env[name]?.trim() ?? '';
}

function positiveNumber(env: Env, name: string, fallback: number, options: { integer: boolean }): number {
  const raw = text(env, name);
  if (raw === '') return fallback;
  const value = Number(raw);
  const valid = Number.isFinite(value) && value > 0 && (!options.integer || Number.isInteger(value));
  if (!valid) {
    const wanted = options.integer ? 'a positive whole number' : 'a positive number';
    throw new InstallFailure('config', `${name} must be ${wanted}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function httpUrl(env: Env, name: string): URL | undefined {
  const raw = text(env, name);
  if (raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InstallFailure('config', `${name} is not a valid URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InstallFailure('config', `${name} must be an http or https URL, got ${url.protocol}`);
  }
  return url;
}

function sha256(env: Env, name: string): string | undefined {
  const raw = text(env, name);
  if (raw === '') return undefined;
  if (!/^[0-9a-fA-F]{64}$/.test(raw)) {
    throw new InstallFailure(
      'config',
      `${name} must be 64 hexadecimal digits (a sha256), got ${raw.length} chars`,
    );
  }
  return raw.toLowerCase();
}

function retries(env: Env): number {
  const raw = text(env, 'DOWNLOAD_RETRIES');
  if (raw === '') return DEFAULT_RETRIES;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > MAX_RETRIES) {
    throw new InstallFailure(
      'config',
      `DOWNLOAD_RETRIES must be a whole number from 0 to ${MAX_RETRIES}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/**
 * Reads the environment into one Config, or throws an InstallFailure of kind `config` naming the
 * variable and what was wrong with it. EXTENSION_ENABLED is read first: a disabled extension needs
 * nothing else to be valid, as upstream.
 */
export function parseConfig(env: Env): Config {
  const name = text(env, 'EXTENSION_NAME');
  const ignoreFailure = ignoresFailure(env);
  if (!flag(env, 'EXTENSION_ENABLED', true)) return { enabled: false, name, ignoreFailure };

  const url = httpUrl(env, 'EXTENSION_URL');
  if (url === undefined) throw new InstallFailure('config', 'the env var EXTENSION_URL must be provided');
  const rawVars = env['EXTENSION_JS_VARS'];
  const jsVars = rawVars === undefined || rawVars.trim() === '' ? undefined : parseJsVars(rawVars);
  if (jsVars !== undefined && name !== '') varsStem(name); // fails now, not after the download
  return {
    enabled: true,
    url,
    checksumUrl: httpUrl(env, 'EXTENSION_CHECKSUM_URL'),
    sha256: sha256(env, 'EXTENSION_SHA256'),
    name,
    version: text(env, 'EXTENSION_VERSION'),
    maxDownloadMs:
      positiveNumber(env, 'MAX_DOWNLOAD_SEC', DEFAULT_MAX_DOWNLOAD_SEC, { integer: false }) * 1000,
    ignoreFailure,
    jsVars,
    gitToken: text(env, 'EXTENSION_GIT_TOKEN') || undefined,
    extensionsDir: text(env, 'EXTENSIONS_DIR') || DEFAULT_EXTENSIONS_DIR,
    retries: retries(env),
    maxExtractBytes:
      positiveNumber(env, 'MAX_EXTRACT_MB', DEFAULT_MAX_EXTRACT_MB, { integer: false }) * 1024 * 1024,
  };
}
