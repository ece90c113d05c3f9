// Reading one live object through Argo CD (GET …/resource), used for what the resource tree does
// not carry, such as a ReplicaSet's `scale-down-deadline` annotation. Same session and RBAC
// (`applications, get`) as the application view itself.
import type { Application } from './argocd.ts';
import { asArray, asRecord, asString, asStringMap, asTime } from './read.ts';

export const SCALE_DOWN_DEADLINE = 'scale-down-deadline';

export interface ResourceTarget {
  namespace: string;
  name: string;
  group: string;
  version: string;
  kind: string;
}

/** URL of `GET api/v1/applications/<app>/resource`, or undefined when the application is unnamed. */
export function resourceUrl(baseURI: string, application: Application | undefined, target: ResourceTarget) {
  const metadata = asRecord(asRecord(application)?.metadata);
  const appName = asString(metadata?.name);
  if (appName === undefined || appName === '') return undefined;
  const url = new URL(`api/v1/applications/${encodeURIComponent(appName)}/resource`, baseURI);
  url.searchParams.set('namespace', target.namespace);
  url.searchParams.set('resourceName', target.name);
  url.searchParams.set('version', target.version);
  url.searchParams.set('kind', target.kind);
  // Argo CD wants group present even when empty.
  url.searchParams.set('group', target.group);
  const appNamespace = asString(metadata?.namespace);
  if (appNamespace !== undefined) url.searchParams.set('appNamespace', appNamespace);
  const project = asString(asRecord(asRecord(application)?.spec)?.project);
  if (project !== undefined) url.searchParams.set('project', project);
  return url.toString();
}

/** The object in a `…/resource` response, whose `manifest` is a JSON string; undefined if unreadable. */
export function manifestOf(body: unknown): Record<string, unknown> | undefined {
  const manifest = asString(asRecord(body)?.manifest);
  if (manifest === undefined) return undefined;
  try {
    return asRecord(JSON.parse(manifest));
  } catch {
    return undefined;
  }
}

/** When the controller will scale this ReplicaSet to 0 (ms since epoch), if it has scheduled it. */
export function scaleDownDeadline(replicaSet: Record<string, unknown> | undefined): number | undefined {
  return asTime(asStringMap(asRecord(replicaSet?.metadata)?.annotations)[SCALE_DOWN_DEADLINE]);
}

/** Identity of the object whose Events are wanted. */
export interface EventsTarget {
  namespace: string;
  name: string;
  uid: string;
}

/**
 * URL of `GET api/v1/applications/<app>/events` for one resource (`applications, get`): the
 * Events Kubernetes still keeps for it, as `{items: Event[]}`. Undefined when the application
 * is unnamed.
 */
export function eventsUrl(baseURI: string, application: Application | undefined, target: EventsTarget) {
  const metadata = asRecord(asRecord(application)?.metadata);
  const appName = asString(metadata?.name);
  if (appName === undefined || appName === '') return undefined;
  const url = new URL(`api/v1/applications/${encodeURIComponent(appName)}/events`, baseURI);
  url.searchParams.set('resourceNamespace', target.namespace);
  url.searchParams.set('resourceName', target.name);
  url.searchParams.set('resourceUID', target.uid);
  const appNamespace = asString(metadata?.namespace);
  if (appNamespace !== undefined) url.searchParams.set('appNamespace', appNamespace);
  const project = asString(asRecord(asRecord(application)?.spec)?.project);
  if (project !== undefined) url.searchParams.set('project', project);
  return url.toString();
}

/** The Events in an events response, or [] when it is not `{items: [...]}`. */
export function eventItems(body: unknown): unknown[] {
  const items = asRecord(body)?.items;
  return Array.isArray(items) ? items : [];
}

/**
 * URL of `GET api/v1/applications/<app>/resource/actions` for one resource: the actions Argo CD's
 * discovery scripts offer for it (`applications, get`). Undefined when the application is unnamed.
 */
export function actionsUrl(baseURI: string, application: Application | undefined, target: ResourceTarget) {
  const resource = resourceUrl(baseURI, application, target);
  if (resource === undefined) return undefined;
  const url = new URL(resource);
  url.pathname = `${url.pathname}/actions`;
  return url.toString();
}

/** Action name → whether discovery disabled it, from a `{actions: [...]}` response. */
export function actionStates(body: unknown): Map<string, { disabled: boolean }> {
  const states = new Map<string, { disabled: boolean }>();
  for (const raw of asArray(asRecord(body)?.actions)) {
    const action = asRecord(raw);
    const name = asString(action?.name);
    if (name !== undefined) states.set(name, { disabled: action?.disabled === true });
  }
  return states;
}
