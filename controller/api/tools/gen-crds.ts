// Writes the CRDs built by @rollout-kit/api to controller/manifests/crds/*.yaml.
// Run from the repository root: node controller/api/tools/gen-crds.ts
// A unit test fails when the committed files differ from what this would write.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CRDS } from '../src/crds.ts';
import { crdYaml } from './crd-yaml.ts';

const dir = join(import.meta.dirname, '..', '..', 'manifests', 'crds');
for (const [file, crd] of Object.entries(CRDS)) {
  writeFileSync(join(dir, file), await crdYaml(crd));
  process.stdout.write(`wrote ${join(dir, file)}\n`);
}
