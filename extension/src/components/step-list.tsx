// The canary steps as a timeline: done, current, pending, with a timed pause's countdown.
import * as React from 'react';
import { formatDuration } from '../model/duration.ts';
import type { StepTimeline } from '../model/steps.ts';
import { badge, styles } from './styles.ts';

export function StepList({ timeline }: { timeline: StepTimeline }) {
  return (
    <section aria-label="Steps" style={styles.section}>
      <h3 style={styles.heading}>Steps</h3>
      {timeline.aborted && <p style={styles.notice}>Aborted: the steps start again after a retry.</p>}
      <ol style={styles.list}>
        {timeline.steps.map((step) => (
          <li
            key={step.index}
            style={styles.step}
            aria-current={step.state === 'current' ? 'step' : undefined}
          >
            <span style={badge(step.state)}>{step.state}</span>
            <span>
              {step.index + 1}. {step.label}
            </span>
            {step.waitsForPromotion === true && <span style={styles.muted}>waiting for promotion</span>}
            {step.pauseRemainingMs !== undefined && (
              <span style={styles.muted}>
                {step.pauseRemainingMs > 0
                  ? `resumes in ${formatDuration(step.pauseRemainingMs)}`
                  : 'resuming'}
              </span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
