// The host page's own script: what Argo CD's UI bundle does for extensions, and no more. It sets
// window.extensionsAPI (the five registration calls, and the deprecated window.extensions), then,
// once the deferred extensions.js has run, shows an application's Rollouts and renders the
// registered resource tabs for the selected one with Argo CD's props ({resource, tree,
// application}) inside an error boundary like Argo CD's. Data comes from the same REST routes
// Argo CD's UI uses, relative to <base href>. React is the page's window.React, 16 or 19.
import type * as ReactTypes from 'react';

type ReactLib = typeof ReactTypes;
type Component = ReactTypes.ComponentType<Record<string, unknown>>;

interface HostConfig {
  application: { metadata: { name: string; namespace?: string }; spec?: { project?: string } };
  refreshMs: number;
}

interface TreeNode {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  resourceVersion: string;
  health?: { status?: string };
}

interface ResourceExtension {
  component: Component;
  group: string;
  kind: string;
  title: string;
  icon?: string;
}

interface Registry {
  resources: ResourceExtension[];
  systemLevel: { component: Component; title: string; path: string; icon: string }[];
  appViews: { component: Component; title: string; icon: string }[];
  statusPanels: { component: Component; title: string; id: string }[];
  topBar: { component: Component; title: string; id: string }[];
  /** Errors caught by the error boundary, for the test to read. */
  errors: string[];
}

const w = window as unknown as Record<string, unknown>;
const registry: Registry = {
  resources: [],
  systemLevel: [],
  appViews: [],
  statusPanels: [],
  topBar: [],
  errors: [],
};
w.__rolloutKitHost = registry;
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((listener) => listener());

// Deprecated, but Argo CD still sets it, and old extensions read it.
w.extensions = { resources: {} };
w.extensionsAPI = {
  registerResourceExtension(
    component: Component,
    group: string,
    kind: string,
    tabTitle: string,
    opts?: { icon?: string },
  ) {
    registry.resources.push({
      component,
      group,
      kind,
      title: tabTitle,
      ...(opts?.icon === undefined ? {} : { icon: opts.icon }),
    });
    changed();
  },
  registerSystemLevelExtension(component: Component, title: string, path: string, icon: string) {
    registry.systemLevel.push({ component, title, path, icon });
    changed();
  },
  registerAppViewExtension(component: Component, title: string, icon: string) {
    registry.appViews.push({ component, title, icon });
    changed();
  },
  registerStatusPanelExtension(component: Component, title: string, id: string) {
    registry.statusPanels.push({ component, title, id });
    changed();
  },
  registerTopBarActionMenuExt(component: Component, title: string, id: string) {
    registry.topBar.push({ component, title, id });
    changed();
  },
};

/** minimatch for the patterns extensions register: `*` (one non-empty segment), `**`, `?`, literals. */
export function globMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return value !== '' && !value.includes('/');
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '*' && pattern.charAt(i + 1) === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`).test(value);
}

function config(): HostConfig {
  const text = document.getElementById('host-config')?.textContent ?? '{}';
  return JSON.parse(text) as HostConfig;
}

async function getJson(path: string): Promise<unknown> {
  const response = await fetch(new URL(path, document.baseURI).toString(), {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

function nodeKey(node: TreeNode): string {
  return `${node.group}/${node.kind}/${node.namespace}/${node.name}/0`;
}

function start(React: ReactLib): void {
  const h = React.createElement;
  const cfg = config();
  const app = cfg.application;
  const appName = encodeURIComponent(app.metadata.name);
  const appQuery = new URLSearchParams();
  if (app.metadata.namespace !== undefined) appQuery.set('appNamespace', app.metadata.namespace);

  class ErrorBoundary extends React.Component<
    { message: string; children?: ReactTypes.ReactNode },
    { error?: string }
  > {
    override state: { error?: string } = {};
    static getDerivedStateFromError(error: unknown) {
      return { error: String(error) };
    }
    override componentDidCatch(error: unknown) {
      registry.errors.push(error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error));
    }
    override render() {
      if (this.state.error !== undefined)
        return h('div', { role: 'alert', className: 'error-boundary' }, this.props.message);
      return this.props.children;
    }
  }

  function useRegistry(): number {
    const [version, setVersion] = React.useState(0);
    React.useEffect(() => {
      const listener = () => setVersion((v) => v + 1);
      listeners.add(listener);
      return () => void listeners.delete(listener);
    }, []);
    return version;
  }

  function HostApp() {
    useRegistry();
    const [tree, setTree] = React.useState<{ nodes?: TreeNode[] } | undefined>(undefined);
    const [resource, setResource] = React.useState<
      { key: string; version: string; state: unknown } | undefined
    >();
    const [failure, setFailure] = React.useState<string | undefined>();
    const params = new URLSearchParams(window.location.search);

    React.useEffect(() => {
      let stopped = false;
      const load = () =>
        getJson(`api/v1/applications/${appName}/resource-tree?${appQuery.toString()}`).then(
          (body) => !stopped && setTree(body as { nodes?: TreeNode[] }),
          (err: unknown) => !stopped && setFailure(String(err)),
        );
      void load();
      const timer = cfg.refreshMs > 0 ? window.setInterval(() => void load(), cfg.refreshMs) : undefined;
      return () => {
        stopped = true;
        if (timer !== undefined) window.clearInterval(timer);
      };
    }, []);

    const rollouts = (tree?.nodes ?? []).filter((n) => n.group === 'argoproj.io' && n.kind === 'Rollout');
    const wanted = params.get('node');
    // Links keep the page's theme.
    const theme = params.get('theme');
    const themeQuery = theme === null ? '' : `&theme=${encodeURIComponent(theme)}`;
    const selected =
      rollouts.find((n) => nodeKey(n) === wanted) ?? (wanted === null ? rollouts[0] : undefined);

    // Argo CD re-reads the live manifest whenever the selected node's resourceVersion changes.
    React.useEffect(() => {
      if (selected === undefined) return;
      if (resource?.key === nodeKey(selected) && resource.version === selected.resourceVersion) return;
      const query = new URLSearchParams(appQuery);
      query.set('namespace', selected.namespace);
      query.set('resourceName', selected.name);
      query.set('version', selected.version);
      query.set('kind', selected.kind);
      query.set('group', selected.group);
      if (app.spec?.project !== undefined) query.set('project', app.spec.project);
      getJson(`api/v1/applications/${appName}/resource?${query.toString()}`).then(
        (body) => {
          const manifest = (body as { manifest?: string }).manifest ?? 'null';
          setResource({
            key: nodeKey(selected),
            version: selected.resourceVersion,
            state: JSON.parse(manifest),
          });
        },
        (err: unknown) => setFailure(String(err)),
      );
    }, [selected?.namespace, selected?.name, selected?.resourceVersion]);

    const tabs =
      selected === undefined
        ? []
        : registry.resources
            .filter((ext) => globMatches(ext.group, selected.group) && globMatches(ext.kind, selected.kind))
            .sort((a, b) => a.title.localeCompare(b.title));
    const tabIndex = Number((params.get('tab') ?? 'extension-0').replace('extension-', '')) || 0;
    const active = tabs[tabIndex];
    const state =
      resource !== undefined && selected !== undefined && resource.key === nodeKey(selected)
        ? resource.state
        : undefined;

    return h(
      'div',
      { className: 'host' },
      h(
        'nav',
        { 'aria-label': 'Rollouts' },
        h('h2', null, `Application ${app.metadata.name}`),
        h(
          'ul',
          null,
          rollouts.map((n) =>
            h(
              'li',
              { key: nodeKey(n) },
              h(
                'a',
                {
                  href: `?node=${encodeURIComponent(nodeKey(n))}${themeQuery}`,
                  'aria-current': n === selected ? 'page' : undefined,
                },
                `${n.namespace}/${n.name}`,
              ),
              n.health?.status === undefined
                ? null
                : h('span', { className: 'health' }, ` ${n.health.status}`),
            ),
          ),
        ),
      ),
      h(
        'main',
        { className: 'resource-details' },
        failure === undefined ? null : h('p', { role: 'status', className: 'failure' }, failure),
        selected === undefined
          ? h('p', null, tree === undefined ? 'Loading…' : 'No such Rollout in this application.')
          : h(
              React.Fragment,
              null,
              h('h1', null, `${selected.kind} ${selected.namespace}/${selected.name}`),
              h(
                'div',
                { role: 'tablist' },
                tabs.map((ext, i) =>
                  h(
                    'a',
                    {
                      key: `extension-${i}`,
                      role: 'tab',
                      'aria-selected': ext === active,
                      href: `?node=${encodeURIComponent(nodeKey(selected))}&tab=extension-${i}${themeQuery}`,
                    },
                    ext.icon === undefined ? null : h('i', { className: ext.icon }),
                    ` ${ext.title}`,
                  ),
                ),
              ),
              active === undefined
                ? h('p', null, 'No extension tab is registered for this kind.')
                : h(
                    'section',
                    { role: 'tabpanel', 'aria-label': active.title, className: 'tab-content' },
                    // Argo CD renders the tab only once the live state loaded.
                    state === undefined
                      ? h('p', null, 'Loading…')
                      : h(
                          ErrorBoundary,
                          { message: `Something went wrong with Extension for ${selected.kind}` },
                          h(active.component, { tree, resource: state, application: app }),
                        ),
                  ),
            ),
      ),
    );
  }

  const container = document.getElementById('app');
  if (container === null) throw new Error('host page: no #app element');
  const mount = w.__rolloutKitHostMount as ((el: ReactTypes.ReactElement, c: Element) => void) | undefined;
  if (mount !== undefined) mount(h(HostApp), container);
  else
    (w.ReactDOM as { render(el: ReactTypes.ReactElement, c: Element): void }).render(h(HostApp), container);
}

// extensions.js is a deferred script: it has run by DOMContentLoaded.
document.addEventListener('DOMContentLoaded', () => start(w.React as ReactLib));
