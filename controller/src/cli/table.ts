// Column alignment as Go's tabwriter does it for the plugin's tables (minwidth 0, padding 2):
// every cell but the last of a row is padded to its column's widest cell plus the padding.
// Widths count characters, not ANSI colour codes, so coloured and plain output align the same.

// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
const ANSI = /\x1b\[[0-9;]*m/g;

export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/**
 * Rows of cells as aligned lines, each ending in "\n"; trailing spaces are dropped unless
 * `keepTrailing` (the plugin's list pads its last cell, and we print the same bytes).
 */
export function alignColumns(
  rows: readonly (readonly string[])[],
  padding = 2,
  keepTrailing = false,
): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i < row.length - 1 ? cell + ' '.repeat((widths[i] ?? 0) - visibleWidth(cell) + padding) : cell,
        )
        .join(''),
    )
    .map((line) => (keepTrailing ? line : line.trimEnd()))
    .map((line) => `${line}\n`)
    .join('');
}
