// The HTTP requests that run a resource action through Argo CD's API with the user's own session
// (the argocd.token cookie), so Argo CD RBAC applies. Two forms: the v2 route with a JSON body
// (Argo CD 3.1+) and the deprecated v1 route (2.x–3.0) that takes the target as query parameters
// and the action name as a JSON string body.
import type { Application } from './argocd.ts';
import { asRecord, asString } from './read.ts';
import type { Rollout } from './rollout.ts';

export interface HttpRequest {
  url: string;
  init: { method: 'POST'; credentials: 'same-origin'; headers: Record<string, string>; body: string };
}

export interface ActionRequests {
  v2: HttpRequest;
  v1: HttpRequest;
  /** Why the v1 route cannot run this action (it has no way to pass parameters), if it cannot. */
  v1Unsupported?: string;
}

/** A resource action parameter, as Argo CD's v2 route takes them (values are strings). */
export interface ActionParameter {
  name: string;
  value: string;
}

function post(url: URL, body: unknown): HttpRequest {
  return {
    url: url.toString(),
    // Argo CD answers 415 to a POST without this header.
    init: {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    },
  };
}

/**
 * Requests for `action` on `rollout` in `application`. URLs are relative to the page's base URI
 * so that Argo CD served under a --basehref works. Throws when the target cannot be named.
 */
export function actionRequests(opts: {
  baseURI: string;
  application: Application | undefined;
  rollout: Rollout;
  action: string;
  /** Sent as `resourceActionParameters`; only the v2 route (Argo CD 3.1+) takes them. */
  parameters?: ActionParameter[];
}): ActionRequests {
  const app = asRecord(opts.application);
  const appName = asString(asRecord(app?.metadata)?.name);
  const resourceName = asString(opts.rollout.metadata?.name);
  if (appName === undefined || appName === '')
    throw new Error(`cannot run ${opts.action}: no application name`);
  if (resourceName === undefined || resourceName === '') {
    throw new Error(`cannot run ${opts.action}: the Rollout has no name`);
  }
  const appNamespace = asString(asRecord(app?.metadata)?.namespace);
  const project = asString(asRecord(app?.spec)?.project);
  const apiVersion = asString(opts.rollout.apiVersion) ?? '';
  const target = {
    namespace: asString(opts.rollout.metadata?.namespace) ?? '',
    resourceName,
    version: apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : 'v1alpha1',
    kind: 'Rollout',
    group: 'argoproj.io',
  };
  const base = `api/v1/applications/${encodeURIComponent(appName)}/resource/actions`;

  const v2 = new URL(`${base}/v2`, opts.baseURI);
  const body: Record<string, unknown> = {};
  if (appNamespace !== undefined) body.appNamespace = appNamespace;
  Object.assign(body, target, { action: opts.action });
  const parameters = opts.parameters ?? [];
  if (parameters.length > 0)
    body.resourceActionParameters = parameters.map(({ name, value }) => ({ name, value }));
  if (project !== undefined) body.project = project;

  const v1 = new URL(base, opts.baseURI);
  if (appNamespace !== undefined) v1.searchParams.set('appNamespace', appNamespace);
  for (const [key, value] of Object.entries(target)) v1.searchParams.set(key, value);

  const requests: ActionRequests = { v2: post(v2, body), v1: post(v1, opts.action) };
  if (parameters.length > 0) {
    requests.v1Unsupported = `${opts.action} takes parameters, which Argo CD accepts from version 3.1 on`;
  }
  return requests;
}
