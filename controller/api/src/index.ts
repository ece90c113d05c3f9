// @rollout-kit/api: the argoproj.io/v1alpha1 types, CRD schemas, and the label, annotation and
// condition constants shared by the controller, the CLI, the extension and the tests.
export { GROUP, VERSION, API_VERSION } from './version.ts';
export * from './constants.ts';
export * from './core.ts';
export * from './analysis.ts';
export * from './rollout.ts';
export * from './experiment.ts';
export * from './crds.ts';
export type { Infer, JSONSchemaProps, Schema } from './schema.ts';
