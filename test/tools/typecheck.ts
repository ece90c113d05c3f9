// Runs tsc --noEmit over each workspace's tsconfig.json (each extends the strict root one), in
// parallel, and fails if any fails. One program per workspace keeps the extension's DOM types
// out of the controller and the controller's Node types out of the browser bundle.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const workspaces: string[] = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function check(workspace: string): Promise<boolean> {
  const project = join(root, workspace, 'tsconfig.json');
  if (!existsSync(project)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '--noEmit', '-p', project], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      process.stdout.write(`[typecheck] ${workspace}: ${code === 0 ? 'ok' : 'FAILED'}\n${output}`);
      resolve(code === 0);
    });
  });
}

const results = await Promise.all(workspaces.map(check));
if (results.includes(false)) process.exit(1);
