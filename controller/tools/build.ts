// Bundles the controller into one ES module, dist/controller.mjs, the only file the container
// image needs besides Node itself. Run from the controller workspace: `npm run build`
// (`node tools/build.ts --outfile=<path>` writes elsewhere, as the bundle's test does).
// The dependencies (pino, prom-client, commander…) are CommonJS in places, so the bundle gets a
// real `require` from createRequire for the Node built-ins they load.
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const outfileFlag = process.argv.find((a) => a.startsWith('--outfile='));
const outfile = outfileFlag ? outfileFlag.slice('--outfile='.length) : join(root, 'dist', 'controller.mjs');

const result = await build({
  entryPoints: [join(root, 'src', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  sourcemap: 'linked',
  legalComments: 'linked',
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
process.stdout.write(`built ${outfile} (${(bytes / 1024 / 1024).toFixed(1)} MiB with its source map)\n`);
