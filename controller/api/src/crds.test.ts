import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crdYaml } from '../tools/crd-yaml.ts';
import { CRDS, ROLLOUT_CRD, type CustomResourceDefinition } from './crds.ts';
import type { JSONSchemaProps } from './schema.ts';

const manifests = join(import.meta.dirname, '..', '..', 'manifests', 'crds');
const entries = Object.entries(CRDS);

function openAPI(crd: CustomResourceDefinition): JSONSchemaProps {
  return crd.spec.versions[0]!.schema.openAPIV3Schema;
}

test.each(entries)('committed %s is what the generator writes', async (file, crd) => {
  expect(readFileSync(join(manifests, file), 'utf8')).toBe(await crdYaml(crd));
});

/**
 * The apiserver's structural-schema rules we can break with our builders: every node has a type
 * (int-or-string nodes excepted), properties and additionalProperties are never combined,
 * required names exist, metadata at the root is only `type: object`, anyOf only under
 * int-or-string.
 */
function structuralErrors(s: JSONSchemaProps, path: string): string[] {
  const errors: string[] = [];
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  if (!s.type && !intOrString) errors.push(`${path}: no type`);
  if (s.anyOf && !intOrString) errors.push(`${path}: anyOf outside int-or-string`);
  if (s.properties && s.additionalProperties) errors.push(`${path}: properties with additionalProperties`);
  if (s.type === 'array' && !s.items) errors.push(`${path}: array without items`);
  for (const name of s.required ?? []) {
    if (!s.properties?.[name]) errors.push(`${path}: required ${name} is not a property`);
  }
  for (const [name, child] of Object.entries(s.properties ?? {})) {
    errors.push(...structuralErrors(child, `${path}.${name}`));
  }
  if (s.items) errors.push(...structuralErrors(s.items, `${path}[]`));
  if (s.additionalProperties) errors.push(...structuralErrors(s.additionalProperties, `${path}{}`));
  return errors;
}

test.each(entries)('%s has a structural schema', (_file, crd) => {
  const root = openAPI(crd);
  expect(structuralErrors(root, '')).toEqual([]);
  expect(root.properties?.['metadata']).toEqual({ type: 'object' });
});

test('the structural check finds a node without a type', () => {
  const bad: JSONSchemaProps = { type: 'object', properties: { x: {} }, required: ['y'] };
  expect(structuralErrors(bad, '')).toEqual([': required y is not a property', '.x: no type']);
});

test('the Rollout CRD has the status and scale subresources HPAs and kubectl scale use', () => {
  expect(ROLLOUT_CRD.spec.versions[0]!.subresources).toEqual({
    status: {},
    scale: {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.HPAReplicas',
      labelSelectorPath: '.status.selector',
    },
  });
});

test.each([
  {
    name: 'rollouts',
    kind: 'Rollout',
    short: 'ro',
    scope: 'Namespaced',
    columns: 'Desired Current Up-to-date Available Age',
  },
  { name: 'analysistemplates', kind: 'AnalysisTemplate', short: 'at', scope: 'Namespaced', columns: 'Age' },
  {
    name: 'clusteranalysistemplates',
    kind: 'ClusterAnalysisTemplate',
    short: 'cat',
    scope: 'Cluster',
    columns: 'Age',
  },
  { name: 'analysisruns', kind: 'AnalysisRun', short: 'ar', scope: 'Namespaced', columns: 'Status Age' },
  { name: 'experiments', kind: 'Experiment', short: 'exp', scope: 'Namespaced', columns: 'Status Age' },
])('$kind is $name.argoproj.io, $scope, columns $columns', ({ name, kind, short, scope, columns }) => {
  const crd = Object.values(CRDS).find((c) => c.spec.names.kind === kind)!;
  expect(crd.metadata.name).toBe(`${name}.argoproj.io`);
  expect(crd.spec.names.plural).toBe(name);
  expect(crd.spec.names.shortNames).toEqual([short]);
  expect(crd.spec.scope).toBe(scope);
  expect(crd.spec.versions[0]!.additionalPrinterColumns.map((c) => c.name).join(' ')).toBe(columns);
});
