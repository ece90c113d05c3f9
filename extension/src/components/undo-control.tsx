// Undo to a chosen revision: a revision picker, a confirmation naming what comes back, then the
// `undo` resource action with the revision as its parameter (Argo CD 3.1+ and the argocd-cm
// snippet in extension/argocd/). Whether Argo CD offers `undo` is read from its action list when
// the user opens the control (not on every render of the tab): when the action is not configured
// the control says so; when the list cannot be read the picker is shown and the server has the
// last word. Errors from Argo CD, 403 included, show as they are.
import * as React from 'react';
import { runResourceAction, type Fetch } from '../api/resource-actions.ts';
import { actionRequests } from '../model/action-request.ts';
import type { Application } from '../model/argocd.ts';
import { asString } from '../model/read.ts';
import { actionStates, actionsUrl } from '../model/resource-request.ts';
import type { Rollout } from '../model/rollout.ts';
import { UNDO_ACTION, UNDO_REVISION_PARAMETER, type UndoChoice } from '../model/undo.ts';
import { styles } from './styles.ts';
import { useArgoCdGet } from './use-argocd-get.ts';

interface Props {
  choices: UndoChoice[];
  pending: string | undefined;
  rollout: Rollout;
  application: Application | undefined;
}

type Outcome = { ok: boolean; text: string };

/**
 * What Argo CD's action list says about `undo`, read while `wanted`: 'checking' until the answer
 * comes, 'unknown' when the list cannot be read.
 */
function useUndoOffered(
  application: Application | undefined,
  rollout: Rollout,
  wanted: boolean,
): 'enabled' | 'disabled' | 'absent' | 'unknown' | 'checking' {
  const apiVersion = asString(rollout.apiVersion) ?? '';
  const name = asString(rollout.metadata?.name);
  const namespace = asString(rollout.metadata?.namespace) ?? '';
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : 'v1alpha1';
  const read = useArgoCdGet(
    (base) =>
      !wanted || name === undefined
        ? undefined
        : actionsUrl(base, application, { namespace, name, group: 'argoproj.io', version, kind: 'Rollout' }),
    JSON.stringify([
      wanted,
      application?.metadata,
      application?.spec?.project,
      namespace,
      name,
      version,
      rollout.metadata?.resourceVersion,
    ]),
  );
  if (read.error !== undefined) return 'unknown';
  if (read.body === undefined) return 'checking';
  const undo = actionStates(read.body).get(UNDO_ACTION);
  if (undo === undefined) return 'absent';
  return undo.disabled ? 'disabled' : 'enabled';
}

function Picker(props: {
  choices: UndoChoice[];
  choice: UndoChoice;
  running: boolean;
  onSelect: (revision: number) => void;
  onUndo: () => void;
  onClose: () => void;
}) {
  const { choices, choice, running } = props;
  return (
    <div style={styles.bar}>
      <label>
        Undo to revision{' '}
        <select
          value={choice.revision}
          disabled={running}
          onChange={(e) => props.onSelect(Number(e.target.value))}
          style={{ ...styles.button, padding: '2px 4px' }}
        >
          {choices.map((c) => (
            <option key={c.revision} value={c.revision}>
              {`${c.revision} (${c.images.join(', ') || c.replicaSet})`}
            </option>
          ))}
        </select>
      </label>
      <button type="button" style={styles.button} disabled={running} onClick={props.onUndo}>
        {running ? 'Undo…' : 'Undo'}
      </button>
      <button type="button" style={styles.button} onClick={props.onClose}>
        Close
      </button>
    </div>
  );
}

function ConfirmUndo({ choice, onYes, onNo }: { choice: UndoChoice; onYes: () => void; onNo: () => void }) {
  return (
    <div role="dialog" aria-label="Confirm undo" style={styles.confirm}>
      <p style={{ margin: '0 0 8px' }}>
        Undo to revision {choice.revision}? The Rollout goes back to the pod template of ReplicaSet{' '}
        <span style={styles.mono}>{choice.replicaSet}</span>
        {choice.images.length > 0 && ` (${choice.images.join(', ')})`}, which then rolls out as a new update.
      </p>
      <div style={styles.bar}>
        <button type="button" style={styles.dangerButton} onClick={onYes}>
          Yes, undo to revision {choice.revision}
        </button>
        <button type="button" style={styles.button} onClick={onNo}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** Runs the undo action; the outcome (or Argo CD's error) is kept for display. */
function useUndoRun(rollout: Rollout, application: Application | undefined) {
  const [running, setRunning] = React.useState(false);
  const [outcome, setOutcome] = React.useState<Outcome | null>(null);
  const mounted = React.useRef(true);
  React.useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  async function run(target: UndoChoice): Promise<boolean> {
    setOutcome(null);
    setRunning(true);
    try {
      const requests = actionRequests({
        baseURI: document.baseURI,
        application,
        rollout,
        action: UNDO_ACTION,
        parameters: [{ name: UNDO_REVISION_PARAMETER, value: String(target.revision) }],
      });
      const fetchFn: Fetch = (url, init) => window.fetch(url, init);
      await runResourceAction(fetchFn, requests);
      if (mounted.current) setOutcome({ ok: true, text: `Undo to revision ${target.revision}: requested` });
      return true;
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (mounted.current) setOutcome({ ok: false, text: `Undo failed: ${text}` });
      return false;
    } finally {
      if (mounted.current) setRunning(false);
    }
  }
  return { running, outcome, clearOutcome: () => setOutcome(null), run };
}

export function UndoControl({ choices, pending, rollout, application }: Props) {
  const [open, setOpen] = React.useState(false);
  const [selected, setSelected] = React.useState<number | undefined>(undefined);
  const [confirming, setConfirming] = React.useState(false);
  const undo = useUndoRun(rollout, application);
  const offered = useUndoOffered(application, rollout, open && choices.length > 0 && pending === undefined);

  if (pending !== undefined) {
    return (
      <p role="status" style={styles.notice}>
        Undo to revision {pending} requested; waiting for the controller.
      </p>
    );
  }
  // The newest earlier revision unless the user picked another that is still offered.
  const choice = choices.find((c) => c.revision === selected) ?? choices[0];
  if (choice === undefined) return null;
  const close = () => {
    setOpen(false);
    setConfirming(false);
  };

  let body: React.ReactNode;
  if (!open) {
    const start = () => {
      undo.clearOutcome();
      setOpen(true);
    };
    body = (
      <div style={styles.bar}>
        <button type="button" style={styles.button} onClick={start}>
          Undo to a revision…
        </button>
      </div>
    );
  } else if (offered === 'checking') {
    body = <p style={styles.muted}>Checking that Argo CD offers the undo action…</p>;
  } else if (offered === 'absent' || offered === 'disabled') {
    body = (
      <div style={styles.bar}>
        <span style={styles.muted}>
          {offered === 'absent'
            ? "Argo CD does not offer the undo action: add Rollout Kit's undo action to argocd-cm (see the extension's README)."
            : 'Argo CD does not offer undo for this Rollout now.'}
        </span>
        <button type="button" style={styles.button} onClick={close}>
          Close
        </button>
      </div>
    );
  } else {
    body = (
      <Picker
        choices={choices}
        choice={choice}
        running={undo.running}
        onSelect={setSelected}
        onUndo={() => setConfirming(true)}
        onClose={close}
      />
    );
  }
  const confirmed = async () => {
    setConfirming(false);
    if (await undo.run(choice)) setOpen(false);
  };

  return (
    <section aria-label="Undo" style={{ marginBottom: 12 }}>
      {body}
      {open && confirming && (
        <ConfirmUndo choice={choice} onYes={() => void confirmed()} onNo={() => setConfirming(false)} />
      )}
      {undo.outcome !== null && (
        <p role={undo.outcome.ok ? 'status' : 'alert'} style={undo.outcome.ok ? styles.notice : styles.error}>
          {undo.outcome.text}
        </p>
      )}
    </section>
  );
}
