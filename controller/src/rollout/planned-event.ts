// An Event a reconcile decided to record on the Rollout; the adapter writes it as a core/v1
// Event (and counts it in rollout_events_total).
export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export const normal = (reason: string, message: string): PlannedEvent => ({
  type: 'Normal',
  reason,
  message,
});
export const warning = (reason: string, message: string): PlannedEvent => ({
  type: 'Warning',
  reason,
  message,
});
