// /extensions.js the way argocd-server makes it: every regular file under the extensions
// directory whose base name matches ^extension(.*)\.js$, in the lexical order of Go's
// filepath.Walk (directories entered as they come, symlinks skipped), each preceded by a
// `// source:` comment line. Argo CD 3.5+ wraps each file in a try/catch that logs a load
// failure; 2.5–3.4 join them as they are. test/argocd checks this against a real argocd-server.
import { lstat, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const EXTENSION_FILE = /^extension(.*)\.js$/;

/** The files argocd-server would serve, in its order. A missing directory serves nothing. */
export async function extensionFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(path: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && path === dir) return;
      throw err;
    }
    // Go's Walk sorts by byte order, not by locale.
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const file = join(path, name);
      const info = await lstat(file);
      if (info.isSymbolicLink()) continue;
      if (info.isDirectory()) await walk(file);
      else if (EXTENSION_FILE.test(name)) out.push(file);
    }
  }
  await walk(dir);
  return out;
}

/** The script body; `wrap` is Argo CD 3.5+'s per-file try/catch. */
export async function extensionsJs(dir: string, opts: { wrap: boolean }): Promise<string> {
  let out = '';
  for (const file of await extensionFiles(dir)) {
    const code = await readFile(file, 'utf8');
    const name = file.slice(file.lastIndexOf('/') + 1);
    // argocd-server prints the walked path and then the base name again (`<path>/<name>`).
    out += `// source: ${file}/${name} \n`;
    out += opts.wrap
      ? `try {\n${code}\n} catch(e) { console.error('Extension ${name} failed to load:', e); }\n`
      : `${code}\n`;
  }
  return out;
}
