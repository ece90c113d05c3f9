// The action buttons. Each runs an Argo CD resource action with the user's own session; abort
// asks first. The outcome (or Argo CD's error, 403 included) is shown under the buttons.
import * as React from 'react';
import { runResourceAction, type Fetch } from '../api/resource-actions.ts';
import { actionRequests } from '../model/action-request.ts';
import type { ActionOption } from '../model/actions.ts';
import type { Application } from '../model/argocd.ts';
import type { Rollout } from '../model/rollout.ts';
import { styles } from './styles.ts';

interface Props {
  actions: ActionOption[];
  rollout: Rollout;
  application: Application | undefined;
}

type Outcome = { ok: true; text: string } | { ok: false; text: string };

export function ActionsBar({ actions, rollout, application }: Props) {
  const [running, setRunning] = React.useState<string | null>(null);
  const [confirming, setConfirming] = React.useState<ActionOption | null>(null);
  const [outcome, setOutcome] = React.useState<Outcome | null>(null);
  const mounted = React.useRef(true);
  React.useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  async function run(option: ActionOption) {
    setConfirming(null);
    setOutcome(null);
    setRunning(option.id);
    try {
      const requests = actionRequests({
        baseURI: document.baseURI,
        application,
        rollout,
        action: option.action,
      });
      const fetchFn: Fetch = (url, init) => window.fetch(url, init);
      await runResourceAction(fetchFn, requests);
      if (mounted.current) setOutcome({ ok: true, text: `${option.label}: requested` });
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (mounted.current) setOutcome({ ok: false, text: `${option.label} failed: ${text}` });
    } finally {
      if (mounted.current) setRunning(null);
    }
  }

  if (actions.length === 0) return null;
  return (
    <section aria-label="Actions">
      <div style={styles.bar}>
        {actions.map((option) => (
          <button
            key={option.id}
            type="button"
            style={styles.button}
            disabled={running !== null}
            onClick={() => (option.confirm !== undefined ? setConfirming(option) : void run(option))}
          >
            {running === option.id ? `${option.label}…` : option.label}
          </button>
        ))}
      </div>
      {confirming !== null && (
        <div role="dialog" aria-label={`Confirm ${confirming.label.toLowerCase()}`} style={styles.confirm}>
          <p style={{ margin: '0 0 8px' }}>{confirming.confirm}</p>
          <div style={styles.bar}>
            <button type="button" style={styles.dangerButton} onClick={() => void run(confirming)}>
              Yes, {confirming.label.toLowerCase()}
            </button>
            <button type="button" style={styles.button} onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {outcome !== null &&
        (outcome.ok ? (
          <p role="status" style={styles.notice}>
            {outcome.text}
          </p>
        ) : (
          <p role="alert" style={styles.error}>
            {outcome.text}
          </p>
        ))}
    </section>
  );
}
