// Argo CD's REST API as the tests use it, with a real login: POST /api/v1/session gives a session
// token (the JWT the UI keeps in the argocd.token cookie), sent as a bearer token on every call.
// Answers are returned with their HTTP status so a test can check refusals as well.

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface ResourceRef {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface TreeNode extends ResourceRef {
  parentRefs?: ResourceRef[];
  info?: { name: string; value: string }[];
  health?: { status?: string; message?: string };
  resourceVersion?: string;
}

export interface ApplicationStatus {
  sync?: { status?: string; revision?: string };
  health?: { status?: string; message?: string };
  operationState?: { phase?: string; message?: string; syncResult?: { revision?: string } };
  resources?: (ResourceRef & { status?: string; health?: { status?: string } })[];
}

export interface Application {
  metadata: { name: string; namespace: string };
  spec: Record<string, unknown>;
  status?: ApplicationStatus;
}

export interface Session {
  username: string;
  token: string;
  get<T = Record<string, unknown>>(path: string): Promise<ApiAnswer<T>>;
  post<T = Record<string, unknown>>(path: string, body: unknown): Promise<ApiAnswer<T>>;
}

async function call<T>(url: string, init: RequestInit): Promise<ApiAnswer<T>> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    body = { text };
  }
  return { status: response.status, body: body as T };
}

/** Logs in to argocd-server at `baseUrl` (ending in `/`) as a local account. */
export async function login(baseUrl: string, username: string, password: string): Promise<Session> {
  const answer = await call<{ token?: string }>(new URL('api/v1/session', baseUrl).toString(), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (answer.status !== 200 || typeof answer.body.token !== 'string')
    throw new Error(
      `logging in to Argo CD as ${username}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  const token = answer.body.token;
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  return {
    username,
    token,
    get: (path) => call(new URL(path, baseUrl).toString(), { headers }),
    post: (path, body) =>
      call(new URL(path, baseUrl).toString(), {
        method: 'POST',
        // argocd-server refuses non-GET requests without a JSON content type.
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}

/** Throws unless the answer is a 200, naming what was asked. */
export function ok<T>(what: string, answer: ApiAnswer<T>): T {
  if (answer.status !== 200) throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const appPath = (app: string, rest = '') => `api/v1/applications/${encodeURIComponent(app)}${rest}`;

export async function getApplication(session: Session, app: string, refresh?: 'normal' | 'hard') {
  const query = refresh === undefined ? '' : `?refresh=${refresh}`;
  return ok(`reading Application ${app}`, await session.get<Application>(appPath(app, query)));
}

export async function resourceTree(session: Session, app: string): Promise<TreeNode[]> {
  const tree = ok(
    `reading the resource tree of ${app}`,
    await session.get<{ nodes?: TreeNode[] }>(appPath(app, '/resource-tree')),
  );
  return tree.nodes ?? [];
}

/** Argo CD's health of one resource, as its resource tree shows it (computed by its health Lua). */
export async function resourceHealth(
  session: Session,
  app: string,
  target: Pick<ResourceRef, 'group' | 'kind' | 'namespace' | 'name'>,
): Promise<{ status?: string; message?: string } | undefined> {
  const node = (await resourceTree(session, app)).find(
    (n) =>
      n.group === target.group &&
      n.kind === target.kind &&
      n.namespace === target.namespace &&
      n.name === target.name,
  );
  return node?.health;
}

export interface ActionRequest {
  app: string;
  resource: ResourceRef;
  action: string;
  parameters?: Record<string, string>;
}

/** Runs a resource action through the v2 route (Argo CD 3.1+), as Argo CD's UI does. */
export function runAction(session: Session, request: ActionRequest): Promise<ApiAnswer> {
  const { resource } = request;
  return session.post(appPath(request.app, '/resource/actions/v2'), {
    namespace: resource.namespace,
    resourceName: resource.name,
    version: resource.version,
    kind: resource.kind,
    group: resource.group,
    action: request.action,
    ...(request.parameters === undefined
      ? {}
      : {
          resourceActionParameters: Object.entries(request.parameters).map(([name, value]) => ({
            name,
            value,
          })),
        }),
  });
}

/** The actions Argo CD offers for a resource, with whether each is disabled. */
export async function listActions(
  session: Session,
  app: string,
  resource: ResourceRef,
): Promise<{ name: string; disabled?: boolean }[]> {
  const query = new URLSearchParams({
    namespace: resource.namespace,
    resourceName: resource.name,
    version: resource.version,
    kind: resource.kind,
    group: resource.group,
  });
  const body = ok(
    `listing the actions of ${resource.kind} ${resource.name}`,
    await session.get<{ actions?: { name: string; disabled?: boolean }[] }>(
      appPath(app, `/resource/actions?${query.toString()}`),
    ),
  );
  return body.actions ?? [];
}
