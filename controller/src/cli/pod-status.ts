// A pod's status as `kubectl get pods` and the plugin print it: the phase, overridden by an init
// container's or a container's waiting/terminated reason, "Terminating" while being deleted.
import type { ContainerStatus, PodObject } from './objects.ts';
import { ICON } from './icons.ts';

export interface PodStatus {
  status: string;
  icon: string;
  /** `<ready containers>/<containers>`. */
  ready: string;
  restarts: number;
}

function initReason(pod: PodObject): { reason?: string; restarts: number } {
  const alwaysRestart = new Map(
    (pod.spec?.initContainers ?? []).map((c) => [c.name, c.restartPolicy === 'Always'] as const),
  );
  const total = pod.spec?.initContainers?.length ?? 0;
  let restarts = 0;
  const statuses = pod.status?.initContainerStatuses ?? [];
  for (const [i, c] of statuses.entries()) {
    restarts += c.restartCount ?? 0;
    const terminated = c.state?.terminated;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (terminated) {
      if (terminated.reason) return { reason: `Init:${terminated.reason}`, restarts };
      return {
        reason: terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode}`,
        restarts,
      };
    }
    if (alwaysRestart.get(c.name) && c.started) {
      if (c.ready) continue;
      return { restarts };
    }
    const waiting = c.state?.waiting?.reason;
    if (waiting && waiting !== 'PodInitializing') return { reason: `Init:${waiting}`, restarts };
    return { reason: `Init:${i}/${total}`, restarts };
  }
  return { restarts };
}

function containerReason(statuses: readonly ContainerStatus[], reason: string) {
  let restarts = 0;
  let ready = 0;
  let running = false;
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i];
    if (!c) continue;
    restarts += c.restartCount ?? 0;
    const { waiting, terminated } = c.state ?? {};
    if (waiting?.reason) reason = waiting.reason;
    else if (terminated?.reason) reason = terminated.reason;
    else if (terminated)
      reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
    else if (c.ready && c.state?.running) {
      running = true;
      ready++;
    }
  }
  if (reason === 'Completed' && running) reason = 'Running';
  return { reason, restarts, ready };
}

export function podStatus(pod: PodObject): PodStatus {
  const total = pod.spec?.containers?.length ?? 0;
  let reason = pod.status?.reason || pod.status?.phase || '';
  const init = initReason(pod);
  let restarts = init.restarts;
  let ready = 0;
  if (init.reason !== undefined) {
    reason = init.reason;
  } else {
    const containers = containerReason(pod.status?.containerStatuses ?? [], reason);
    reason = containers.reason;
    restarts = containers.restarts;
    ready = containers.ready;
  }
  if (pod.metadata.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return { status: reason, icon: podIcon(reason), ready: `${ready}/${total}`, restarts };
}

export function podIcon(status: string): string {
  if (status.startsWith('Init:')) return ICON.progressing;
  if (status.startsWith('Signal:') || status.startsWith('ExitCode:')) return ICON.bad;
  if (status.endsWith('Error') || status.startsWith('Err')) return ICON.warning;
  switch (status) {
    case 'Pending':
    case 'Terminating':
    case 'ContainerCreating':
      return ICON.progressing;
    case 'Running':
    case 'Completed':
      return ICON.ok;
    case 'Failed':
    case 'InvalidImageName':
    case 'CrashLoopBackOff':
      return ICON.bad;
    case 'ImagePullBackOff':
    case 'RegistryUnavailable':
      return ICON.warning;
    case 'Unknown':
      return ICON.unknown;
    default:
      return ' ';
  }
}
