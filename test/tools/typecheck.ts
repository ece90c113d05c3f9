// Runs tsc --noEmit over every tsconfig.json of the workspaces (each extends the strict root
// one), in parallel, and fails if any fails. One program per workspace keeps the extension's DOM
// types out of the controller and the controller's Node types out of the browser bundle; a
// folder with a tsconfig.json of its own (browser-side test pages) is a program of its own.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const workspaces: string[] = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** Every tsconfig.json below `dir`, skipping node_modules and build output. */
function projects(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (
      entry.isDirectory() &&
      !['node_modules', 'dist', 'coverage'].includes(entry.name) &&
      !entry.name.startsWith('.')
    ) {
      // Another workspace nested inside this one (controller/api in controller) is checked on its own.
      if (!workspaces.includes(relative(root, join(dir, entry.name))))
        found.push(...projects(join(dir, entry.name)));
    } else if (entry.name === 'tsconfig.json') {
      found.push(join(dir, entry.name));
    }
  }
  return found;
}

function check(project: string): Promise<boolean> {
  const name = relative(root, project);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '--noEmit', '-p', project], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      process.stdout.write(`[typecheck] ${name}: ${code === 0 ? 'ok' : 'FAILED'}\n${output}`);
      resolve(code === 0);
    });
  });
}

const results = await Promise.all(workspaces.flatMap((w) => projects(join(root, w))).map(check));
if (results.includes(false)) process.exit(1);
