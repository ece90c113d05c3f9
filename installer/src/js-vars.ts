import { InstallFailure } from './failure.ts';

/**
 * EXTENSION_JS_VARS, as argocd-extension-installer defines it: a JSON object whose entries the
 * extension reads at run time from `window.<NAME>_VARS`, where <NAME> is EXTENSION_NAME upper-cased
 * with `-` turned into `_`, and whose keys are upper-cased too. The file is
 * `extension-0-<NAME>_vars.js`, written into the first directory of the extension matching
 * `extension*-<EXTENSION_NAME>*.js`, so it sorts before the extension's own script and runs first.
 *
 * Unlike upstream, which pastes values between quotes, every key and value here is a JSON string
 * literal with `<`, `>`, `&` and the JavaScript line separators escaped, so no value can end the
 * string, inject code, or close a `<script>` element.
 */
export type JsVars = ReadonlyArray<{ key: string; value: string }>;

/** Letters, digits, `-` and `_`: what can safely become both a file name and a variable name. */
const SAFE_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Parses EXTENSION_JS_VARS. Strings are kept as they are; numbers and booleans become their text
 * (upstream only accepts strings); null, arrays and objects are refused.
 */
export function parseJsVars(raw: string): JsVars {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new InstallFailure('config', `EXTENSION_JS_VARS is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InstallFailure('config', 'EXTENSION_JS_VARS must be a JSON object such as {"key": "value"}');
  }
  return Object.entries(parsed).map(([key, value]: [string, unknown]) => {
    if (typeof value === 'string') return { key, value };
    if (typeof value === 'number' || typeof value === 'boolean') return { key, value: String(value) };
    throw new InstallFailure(
      'config',
      `EXTENSION_JS_VARS.${key} must be a string, number or boolean, got ${value === null ? 'null' : typeof value}`,
    );
  });
}

/** Upper-cases ASCII letters only, as jq's ascii_upcase and busybox `tr` do. */
function asciiUpper(text: string): string {
  return text.replace(/[a-z]/g, (c) => c.toUpperCase());
}

/** "rollout-ext" → "ROLLOUT_EXT": the stem of both the variable and the file name. */
export function varsStem(extensionName: string): string {
  if (!SAFE_NAME.test(extensionName)) {
    throw new InstallFailure(
      'config',
      `EXTENSION_NAME ${JSON.stringify(extensionName)} cannot name EXTENSION_JS_VARS: use only letters, digits, - and _`,
    );
  }
  return asciiUpper(extensionName.replaceAll('-', '_'));
}

/** JSON.stringify, made safe to paste anywhere in a script or an HTML page. */
export function safeJsString(value: string): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export interface VarsFile {
  /** `extension-0-<NAME>_vars.js` */
  fileName: string;
  content: string;
}

/** The vars script for an extension, for example `window["ROLLOUT_VARS"] = {"URL": "…"}`. */
export function varsFile(extensionName: string, vars: JsVars): VarsFile {
  const stem = varsStem(extensionName);
  const entries = vars.map(({ key, value }) => `${safeJsString(asciiUpper(key))}: ${safeJsString(value)}`);
  const content =
    `((window) => { const vars = { ${entries.join(', ')} }; ` +
    `window[${safeJsString(`${stem}_VARS`)}] = vars; })(window);\n`;
  return { fileName: `extension-0-${stem}_vars.js`, content };
}

/**
 * The directory that receives the vars file: the first, in depth-first lexical order, whose base
 * name matches `extension*-<name>*.js` (upstream's `find -type d -name` glob). `directories` are
 * slash-separated paths relative to the same root; undefined when none matches.
 */
export function varsDirectory(directories: readonly string[], extensionName: string): string | undefined {
  varsStem(extensionName); // validates the name, so it can go into the pattern as it is
  const pattern = new RegExp(`^extension.*-${extensionName}.*\\.js$`);
  const depthFirst = [...directories].sort((a, b) => compareSegments(a.split('/'), b.split('/')));
  return depthFirst.find((dir) => pattern.test(dir.slice(dir.lastIndexOf('/') + 1)));
}

function compareSegments(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
