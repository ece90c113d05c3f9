// Every style of the tab, as inline style objects: nothing global, nothing that can restyle Argo
// CD. Text colours inherit from Argo CD's page so light and dark themes both read well; only the
// badges carry their own colours, with white text that is legible on either theme.
import type * as React from 'react';

type Style = React.CSSProperties;

const border = '1px solid rgba(128, 128, 128, 0.35)';

export const styles = {
  tab: { padding: '12px 0', fontSize: 14, lineHeight: 1.5, color: 'inherit' } satisfies Style,
  section: { marginBottom: 18 } satisfies Style,
  heading: { fontSize: 15, fontWeight: 600, margin: '0 0 8px' } satisfies Style,
  list: { listStyle: 'none', margin: 0, padding: 0 } satisfies Style,
  grid: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: 16,
    rowGap: 4,
    margin: 0,
  } satisfies Style,
  term: { fontWeight: 600, opacity: 0.75 } satisfies Style,
  value: { margin: 0, overflowWrap: 'anywhere' } satisfies Style,
  card: { border, borderRadius: 4, padding: '8px 12px', marginBottom: 8 } satisfies Style,
  muted: { opacity: 0.75 } satisfies Style,
  mono: { fontFamily: 'monospace', overflowWrap: 'anywhere' } satisfies Style,
  bar: { display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', marginBottom: 12 } satisfies Style,
  button: {
    border,
    borderRadius: 4,
    padding: '4px 12px',
    background: 'transparent',
    color: 'inherit',
    cursor: 'pointer',
    font: 'inherit',
  } satisfies Style,
  dangerButton: {
    border: '1px solid #c0392b',
    borderRadius: 4,
    padding: '4px 12px',
    background: '#c0392b',
    color: '#fff',
    cursor: 'pointer',
    font: 'inherit',
  } satisfies Style,
  confirm: { border, borderRadius: 4, padding: '8px 12px', margin: '0 0 12px' } satisfies Style,
  error: {
    border: '1px solid #c0392b',
    borderRadius: 4,
    padding: '8px 12px',
    margin: '0 0 12px',
    overflowWrap: 'anywhere',
    whiteSpace: 'pre-wrap',
  } satisfies Style,
  notice: { margin: '0 0 12px', opacity: 0.8 } satisfies Style,
  step: { display: 'flex', gap: 8, alignItems: 'baseline', padding: '2px 0' } satisfies Style,
} as const;

// Argo CD's status hues, darkened until white badge text has a contrast of at least 4.5:1 (WCAG
// AA), which the browser test checks on the light and the dark theme.
const BADGE_COLOURS: Record<string, string> = {
  stable: '#0b7d60',
  active: '#0b7d60',
  canary: '#9a5b00',
  preview: '#1f6aa8',
  Healthy: '#0b7d60',
  Progressing: '#1f6aa8',
  Paused: '#625b80',
  Degraded: '#c0353f',
  done: '#0b7d60',
  current: '#1f6aa8',
  pending: '#5d6d78',
};

export function badge(kind: string): Style {
  return {
    display: 'inline-block',
    borderRadius: 3,
    padding: '0 6px',
    marginRight: 4,
    fontSize: 12,
    color: '#fff',
    background: BADGE_COLOURS[kind] ?? '#5d6d78',
  };
}
