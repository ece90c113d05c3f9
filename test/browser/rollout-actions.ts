// Argo CD's resource actions for argoproj.io/Rollout, for the host page: which actions Argo CD's
// discovery offers for a Rollout (the built-in discovery.lua, plus Rollout Kit's `undo` from
// extension/argocd/), how an action request names its target (v2 JSON body, or v1 query and a
// JSON-string body), and the patches each built-in action amounts to (Argo CD computes a merge
// patch from the Lua's result and sends its `status` part to the status subresource). Pure.
import type { KubeObject } from './argocd-tree.ts';

export interface ActionTarget {
  namespace: string;
  resourceName: string;
  group: string;
  kind: string;
  version: string;
  action: string;
  parameters: Record<string, string>;
}

export interface RolloutActionPatches {
  /** Merge patch on the status subresource. */
  status?: Record<string, unknown>;
  /** Merge patch on the object itself. */
  main?: Record<string, unknown>;
}

type Status = {
  pauseConditions?: unknown[];
  abort?: boolean;
  currentPodHash?: string;
  stableRS?: string;
  currentStepIndex?: number;
};

function statusOf(rollout: KubeObject): Status {
  return (rollout.status ?? {}) as Status;
}

function specOf(rollout: KubeObject): { paused?: boolean; steps: unknown[]; canary: boolean } {
  const spec = (rollout.spec ?? {}) as {
    paused?: boolean;
    strategy?: { canary?: { steps?: unknown[] } };
  };
  const canary = spec.strategy?.canary;
  return {
    ...(spec.paused === undefined ? {} : { paused: spec.paused }),
    steps: Array.isArray(canary?.steps) ? canary.steps : [],
    canary: canary !== undefined,
  };
}

/** The action list Argo CD's discovery gives for a Rollout: `{actions: [{name, disabled, ...}]}`. */
export function discoverActions(rollout: KubeObject): { actions: Record<string, unknown>[] } {
  const status = statusOf(rollout);
  const spec = specOf(rollout);
  const fullyPromoted = status.currentPodHash === status.stableRS;
  const aborted = status.abort === true;
  const paused =
    status.pauseConditions !== undefined ? status.pauseConditions.length > 0 : spec.paused === true;
  const index = status.currentStepIndex ?? 0;
  const revision = Number(rollout.metadata?.annotations?.['rollout.argoproj.io/revision'] ?? '');
  const undoParam: Record<string, string> = { name: 'revision' };
  if (Number.isInteger(revision) && revision > 1) undoParam.default = String(revision - 1);
  const pendingUndo = rollout.metadata?.annotations?.['rollout-kit.io/undo-to-revision'] !== undefined;
  return {
    actions: [
      { name: 'restart', displayName: 'Restart Pods', disabled: false },
      { name: 'resume', disabled: !paused },
      { name: 'abort', disabled: fullyPromoted || aborted },
      { name: 'retry', disabled: fullyPromoted || !aborted },
      { name: 'pause', disabled: fullyPromoted || aborted || spec.paused === true },
      { name: 'promote-full', disabled: rollout.status === undefined || fullyPromoted },
      {
        name: 'skip-current-step',
        disabled: !(spec.canary && spec.steps.length > 0 && index !== spec.steps.length),
      },
      {
        name: 'undo',
        displayName: 'Undo to revision',
        disabled: pendingUndo || rollout.status === undefined,
        params: [undoParam],
      },
    ],
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The target and action of a resource-action request: the v2 route's JSON body, or the v1 route's
 * query with the action name as a JSON string body. Throws a message for a malformed request.
 */
export function actionTarget(path: string, query: Record<string, string>, body: string): ActionTarget {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error('the request body is not JSON');
  }
  let source: Record<string, unknown>;
  let action: string | undefined;
  const parameters: Record<string, string> = {};
  if (path.endsWith('/v2')) {
    if (typeof parsed !== 'object' || parsed === null) throw new Error('the v2 body must be an object');
    source = parsed as Record<string, unknown>;
    action = text(source.action);
    const list = source.resourceActionParameters;
    if (Array.isArray(list)) {
      for (const p of list as { name?: unknown; value?: unknown }[]) {
        const name = text(p.name);
        const value = text(p.value);
        if (name !== undefined && value !== undefined) parameters[name] = value;
      }
    }
  } else {
    source = query;
    action = text(parsed);
  }
  const target = {
    namespace: text(source.namespace) ?? '',
    resourceName: text(source.resourceName) ?? '',
    group: text(source.group) ?? '',
    kind: text(source.kind) ?? '',
    version: text(source.version) ?? '',
  };
  if (action === undefined || action === '') throw new Error('no action named');
  if (target.resourceName === '' || target.kind === '' || target.version === '')
    throw new Error('resourceName, version and kind are required');
  return { ...target, action, parameters };
}

/**
 * The patches a built-in Rollout action sends (Argo CD's action.lua, as the reference table
 * lists them); undefined for an action that has no patch form here (`undo`, unknown names).
 * `now` gives restartAt, UTC to the second.
 */
export function builtinActionPatches(
  rollout: KubeObject,
  action: string,
  now: Date,
): RolloutActionPatches | undefined {
  const status = statusOf(rollout);
  const spec = specOf(rollout);
  switch (action) {
    case 'resume': {
      const out: RolloutActionPatches = {};
      if ((status.pauseConditions ?? []).length > 0) out.status = { pauseConditions: null };
      if (spec.paused === true) out.main = { spec: { paused: false } };
      return out;
    }
    case 'abort':
      return { status: { abort: true } };
    case 'retry':
      return { status: { abort: null } };
    case 'pause':
      return { main: { spec: { paused: true } } };
    case 'promote-full':
      return { status: { promoteFull: true } };
    case 'restart':
      return { main: { spec: { restartAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z') } } };
    case 'skip-current-step': {
      const index = status.currentStepIndex ?? 0;
      if (!spec.canary || index >= spec.steps.length) return {};
      return { status: { pauseConditions: null, currentStepIndex: index + 1 } };
    }
    default:
      return undefined;
  }
}
