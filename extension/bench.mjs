// Prints the raw and gzip size of the built bundle (run `node build.mjs` first; `npm run bench`
// does). The budget is 100 KB gzip; the baseline is rollout-extension v0.3.7 (4.9 MB raw,
// 1.35 MB gzip), the tab this one replaces.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BUNDLE_PATH, DIST } from './build.mjs';

const BUDGET_GZIP = 100 * 1024;
const OLD = { raw: 4.9 * 1024 * 1024, gzip: 1.35 * 1024 * 1024 };

const code = await readFile(join(DIST, BUNDLE_PATH));
const raw = code.length;
const gzip = gzipSync(code, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`[extension bench] ${BUNDLE_PATH}`);
console.log(
  `[extension bench] raw  ${kb(raw)}  (${((100 * raw) / OLD.raw).toFixed(1)}% of rollout-extension's 4.9 MB)`,
);
console.log(
  `[extension bench] gzip ${kb(gzip)}  (${((100 * gzip) / OLD.gzip).toFixed(1)}% of rollout-extension's 1.35 MB; ` +
    `${((100 * gzip) / BUDGET_GZIP).toFixed(0)}% of the 100 KB budget)`,
);
if (gzip > BUDGET_GZIP) {
  console.error(`[extension bench] over budget: ${kb(gzip)} gzip > ${kb(BUDGET_GZIP)}`);
  process.exitCode = 1;
}
