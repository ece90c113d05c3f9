// The host page that follows Argo CD's extension contract (what Argo CD's index.html and UI bundle
// give extensions), as HTML and scripts: served by host-server.ts for the browser tests and
// `make demo`, and written into a real argocd-server's static-assets directory by the Argo CD
// end-to-end tests.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ensureReact16 } from '../tools/fetch-react16.ts';

export type ReactLine = '16' | '19';
/** Argo CD's two themes; the page takes `?theme=dark` or `?theme=light` over the host's default. */
export type Theme = 'light' | 'dark';

export interface HostApplication {
  metadata: { name: string; namespace?: string };
  spec?: { project?: string; destination?: { server?: string; namespace?: string } };
}

const PAGE_DIR = join(import.meta.dirname, 'page');
const bundles = new Map<string, Promise<string>>();

/** A page script bundled for the browser (cached per process). */
export function pageScript(entry: string): Promise<string> {
  let text = bundles.get(entry);
  if (text === undefined) {
    text = build({
      entryPoints: [join(PAGE_DIR, entry)],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: ['chrome100'],
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    }).then((result) => {
      const out = result.outputFiles[0];
      if (out === undefined) throw new Error(`esbuild gave no output for ${entry}`);
      return out.text;
    });
    bundles.set(entry, text);
  }
  return text;
}

export async function reactScripts(line: ReactLine): Promise<string[]> {
  if (line === '19') return [await pageScript('react19-globals.ts')];
  const files = await ensureReact16();
  return [
    await readFile(files.react, 'utf8'),
    await readFile(files.reactDom, 'utf8'),
    await pageScript('react16-moment.ts'),
  ];
}

/** JSON inside a <script> element: `<` escaped so no field can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export interface PageOptions {
  application: HostApplication;
  /** How often the page re-reads the tree (Argo CD streams it); 0 reads it once. */
  refreshMs: number;
  react: ReactLine;
  /** How many React scripts the page loads (`assets/react-<i>.js`, from reactScripts()). */
  scripts: number;
  theme: Theme;
}

/**
 * The page, in one of Argo CD's themes: Argo CD puts `theme-light` or `theme-dark` on its root
 * element and its stylesheets colour the page from it; extensions inherit the text colour. Its
 * scripts are `assets/react-<i>.js` and `assets/host.js`, and extensions.js, relative to `/`.
 */
export function hostPage(opts: PageOptions): string {
  const { theme } = opts;
  const config = { application: opts.application, refreshMs: opts.refreshMs };
  const tags = Array.from(
    { length: opts.scripts },
    (_, i) => `<script src="assets/react-${i}.js"></script>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<base href="/">
<link rel="icon" href="data:,">
<title>Rollout Kit host page (React ${opts.react})</title>
<style>
body { margin: 0; font-family: Heebo, system-ui, sans-serif; font-size: 14px; color: #363c4a; background: #dee6eb; }
.host { display: flex; min-height: 100vh; }
nav { width: 220px; padding: 16px; background: #0f2733; color: #fff; }
nav a { color: #8fa4b1; } nav a[aria-current] { color: #fff; font-weight: 600; }
nav ul { padding-left: 16px; }
.resource-details { flex: 1; padding: 16px 24px; background: #f8fbfb; }
[role=tablist] { display: flex; gap: 16px; border-bottom: 1px solid #ccd6dd; margin-bottom: 12px; }
[role=tab] { padding: 8px 0; text-decoration: none; color: #495763; }
[role=tab][aria-selected=true] { border-bottom: 3px solid #00a2b3; color: #00a2b3; }
.error-boundary, .failure { color: #e96d76; }
.theme-dark { color: #dee6eb; background: #100f0f; }
.theme-dark .resource-details { background: #2f3133; }
.theme-dark [role=tablist] { border-bottom-color: #495763; }
.theme-dark [role=tab] { color: #ccd6dd; }
.theme-dark [role=tab][aria-selected=true] { color: #00c4d8; border-bottom-color: #00c4d8; }
</style>
${tags}
<script src="assets/host.js"></script>
<script id="host-config" type="application/json">${scriptJson(config)}</script>
</head>
<body class="theme-${theme}">
<div id="app"></div>
<script defer src="extensions.js"></script>
</body>
</html>
`;
}
