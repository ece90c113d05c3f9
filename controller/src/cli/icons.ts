// The plugin's status icons and ANSI colours: icons by meaning, colours by icon, role or phase.
// Colours are off with --no-color, when stdout is not a TTY, or with TERM=dumb.

export const ICON = {
  waiting: '◷',
  progressing: '◌',
  paused: '॥',
  ok: '✔',
  bad: '✖',
  warning: '⚠',
  unknown: '?',
  neutral: '•',
} as const;

export const TREE_ICON = {
  rollout: '⟳',
  revision: '#',
  replicaSet: '⧉',
  pod: '□',
  experiment: 'Σ',
  analysisRun: 'α',
  job: '⊞',
} as const;

const RED = 31;
const GREEN = 32;
const YELLOW = 33;
const HI_BLUE = 94;

const COLORS: Readonly<Record<string, number>> = {
  [ICON.waiting]: YELLOW,
  [ICON.progressing]: HI_BLUE,
  [ICON.warning]: RED,
  [ICON.unknown]: YELLOW,
  [ICON.ok]: GREEN,
  [ICON.bad]: RED,
  canary: YELLOW,
  stable: GREEN,
  active: GREEN,
  preview: HI_BLUE,
  Pending: HI_BLUE,
  Running: HI_BLUE,
};

/** Wraps `text` in the colour `key` maps to (the text itself by default); unchanged when colours are off. */
export function colorize(color: boolean, text: string, key: string = text): string {
  const code = COLORS[key];
  if (!color || code === undefined) return text;
  return `\x1b[${code}m${text}\x1b[0m`;
}

/** Whether to colour: not with --no-color, not when the output is no terminal, not with TERM=dumb. */
export function useColor(options: { noColor?: boolean; isTTY?: boolean; term?: string }): boolean {
  return !options.noColor && options.isTTY === true && options.term !== 'dumb';
}
