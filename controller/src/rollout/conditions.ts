// Rollout conditions with upstream's update rules: setting a condition whose type, status and
// reason are unchanged is a no-op; lastTransitionTime moves only when the status changes; and a
// Progressing condition that stays True refreshes lastUpdateTime when the rollout made progress,
// because that timestamp is the clock of the progress deadline.
import type { Condition } from '@rollout-kit/api';
import { CONDITION_PROGRESSING } from '@rollout-kit/api';

export type ConditionStatus = Condition['status'];

export interface ConditionInput {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * The conditions with `input` set at `now` (an RFC 3339 time). Returns the same array when
 * nothing changes, so callers can tell whether a status write is needed.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  now: string,
): Condition[] {
  const list = [...(conditions ?? [])];
  const existing = list.find((c) => c.type === input.type);
  if (existing && existing.status === input.status && existing.reason === input.reason) {
    // Same state: keep it as it is, message included, as upstream does.
    return conditions as Condition[];
  }
  const next: Condition = {
    ...input,
    lastUpdateTime: now,
    lastTransitionTime: existing && existing.status === input.status ? existing.lastTransitionTime : now,
  };
  // As upstream, a replaced condition moves to the end of the list.
  return [...list.filter((c) => c.type !== input.type), next];
}

/** The conditions without `type` (the same array when it was absent). */
export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  const list = conditions ?? [];
  return list.some((c) => c.type === type) ? list.filter((c) => c.type !== type) : (list as Condition[]);
}

/**
 * Progressing=True with `reason`, refreshing lastUpdateTime when `progressed` even if type,
 * status and reason are unchanged (the one exception to setCondition's no-op rule).
 */
export function setProgressing(
  conditions: readonly Condition[] | undefined,
  input: Omit<ConditionInput, 'type'>,
  now: string,
  progressed: boolean,
): Condition[] {
  const full = { type: CONDITION_PROGRESSING, ...input };
  const existing = findCondition(conditions, CONDITION_PROGRESSING);
  if (
    !progressed ||
    !existing ||
    existing.status !== 'True' ||
    input.status !== 'True' ||
    existing.reason !== input.reason
  ) {
    return setCondition(conditions, full, now);
  }
  return (conditions ?? []).map((c) =>
    c.type === CONDITION_PROGRESSING ? { ...c, message: input.message, lastUpdateTime: now } : c,
  );
}

/** Whether the conditions say `type` is True. */
export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}
