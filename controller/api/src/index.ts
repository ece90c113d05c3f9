// @rollout-kit/api: the argoproj.io/v1alpha1 types, CRD schemas, and the label, annotation and
// condition constants shared by the controller, the CLI, the extension and the tests.
export const GROUP = 'argoproj.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
