// Builds the Rollout tab: one minified IIFE script that argocd-server can serve, then extension.tar
// and its sha256 file in the layout argocd-extension-installer and argocd-server expect.
//
//   node build.mjs          bundle, check, write dist/resources/…, pack extension.tar(.sha256)
//
// The bundle must run on Argo CD 2.5–3.4 (React 16.14) and 3.5+ (React 19), so React is taken
// from the page's window.React and never bundled, and JSX compiles to React.createElement.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { create as createTar } from 'tar';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * argocd-server serves every file whose base name matches ^extension(.*)\.js$ under
 * /tmp/extensions. The directory uses the same pattern so the installer's EXTENSION_JS_VARS
 * lookup (first directory matching `extension*-<name>*.js`) finds it for the name "rollout".
 */
export const BUNDLE_DIR = 'extension-rollout.js';
export const BUNDLE_FILE = 'extension-rollout.js';
export const BUNDLE_PATH = `resources/${BUNDLE_DIR}/${BUNDLE_FILE}`;
export const DIST = join(here, 'dist');
export const TAR = join(here, 'extension.tar');

/** Maps `import … from 'react'` to the page's global, and refuses anything that would bundle React. */
const globalReact = {
  name: 'global-react',
  setup(b) {
    b.onResolve({ filter: /^react$/ }, () => ({ path: 'react', namespace: 'global-react' }));
    b.onResolve({ filter: /^(react-dom|react\/.*|scheduler)(\/.*)?$/ }, (args) => ({
      errors: [{ text: `${args.path} must not be bundled: Argo CD provides React as window.React only` }],
    }));
    b.onLoad({ filter: /.*/, namespace: 'global-react' }, () => ({
      contents: 'module.exports = window.React;',
      loader: 'js',
    }));
  },
};

/** Bundles src/index.tsx and returns the script text. Writes nothing. */
export async function bundle() {
  const result = await build({
    absWorkingDir: here,
    entryPoints: ['src/index.tsx'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    legalComments: 'none',
    jsx: 'transform',
    jsxFactory: 'React.createElement',
    jsxFragment: 'React.Fragment',
    define: { 'process.env.NODE_ENV': '"production"' },
    // moment's ES module build: no UMD wrapper and no require() of locale files. Its locales are
    // separate modules that nothing imports, so they stay out (checked below).
    mainFields: ['jsnext:main', 'browser', 'module', 'main'],
    // No top-level "use strict" directive: Argo CD ≤ 3.4 concatenates every extension file into
    // one script, where a directive in the first file would make all the others strict too.
    tsconfigRaw: { compilerOptions: { alwaysStrict: false, verbatimModuleSyntax: true } },
    plugins: [globalReact],
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const forbidden = inputs.filter((i) =>
    /node_modules\/(react|react-dom|scheduler)\/|moment\/locale\//.test(i),
  );
  if (forbidden.length > 0) throw new Error(`bundle contains forbidden modules: ${forbidden.join(', ')}`);
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no output');
  return output.text;
}

/**
 * One syntax error in any extension file blanks every extension in Argo CD, so the bundle must
 * parse as a plain script, both alone (Argo CD ≤ 3.4 concatenates files) and inside the
 * try/catch wrapper that Argo CD 3.5+ puts around each file. Parsing only: nothing runs.
 */
export function checkParses(code, filename = BUNDLE_FILE) {
  new vm.Script(code, { filename });
  new vm.Script(`try {\n${code}\n} catch (e) { console.error('failed', e); }`, {
    filename: `wrapped ${filename}`,
  });
  if (/^\s*(['"])use strict\1/.test(code))
    throw new Error('bundle must not start with a "use strict" directive');
  if (/\bimport\s*\(|\brequire\s*\(/.test(code)) {
    throw new Error('bundle must not load modules at run time (import() or require())');
  }
}

/** Hooks and APIs newer than React 16.14, the React of Argo CD 2.5–3.4. Property names survive minification. */
const NEWER_THAN_REACT_16 =
  /\.(useId|useSyncExternalStore|useInsertionEffect|useTransition|useDeferredValue|useOptimistic|useActionState|startTransition|use)\(/;

/** The bundle must not call React APIs that the React 16 of older Argo CD lacks. */
export function checkReact16(code) {
  const match = NEWER_THAN_REACT_16.exec(code);
  if (match !== null) throw new Error(`bundle uses React.${match[1]}, which React 16.14 does not have`);
}

/**
 * Writes <dist>/resources/…/extension-rollout.js, then <tar> and <tar>.sha256 (sha256sum format,
 * naming the archive by its base name, which is what the installer greps for).
 */
export async function pack(code, { dist = DIST, tar = TAR } = {}) {
  await rm(join(dist, 'resources'), { recursive: true, force: true });
  const file = join(dist, BUNDLE_PATH);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, code);
  // portable + a fixed mtime: the same bundle always gives the same tar and checksum.
  await createTar({ file: tar, cwd: dist, portable: true, mtime: new Date(0) }, ['resources']);
  const digest = createHash('sha256')
    .update(await readFile(tar))
    .digest('hex');
  await writeFile(`${tar}.sha256`, `${digest}  ${basename(tar)}\n`);
  return { file, digest };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const code = await bundle();
  checkParses(code);
  checkReact16(code);
  const { digest } = await pack(code);
  const ms = Math.round(performance.now() - started);
  console.log(`[extension] ${BUNDLE_PATH} ${code.length} bytes; extension.tar sha256 ${digest} (${ms} ms)`);
}
