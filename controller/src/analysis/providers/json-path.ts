// The subset of Kubernetes JSONPath the web provider's `jsonPath` uses: one `{...}` template of
// `$`, `.field`, `['field']`, `[n]` (negative counts from the end), `[*]` and `.*`, e.g.
// `{$.data.ok}`, `{.items[0].value}`, `{$.results[*].rate}`. Filters, slices and ranges are
// refused with a clear error rather than guessed at.

type Segment = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' };

export class JsonPathError extends Error {
  override name = 'JsonPathError';
}

/** Parses `{$.a.b[0]}` (braces and `$` optional) into segments; throws JsonPathError. */
export function parseJsonPath(path: string): Segment[] {
  let text = path.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (text.startsWith('$')) text = text.slice(1);
  const segments: Segment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new JsonPathError(`jsonPath ${JSON.stringify(path)}: ${why} at offset ${i}`);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      if (text[i] === '*') {
        segments.push({ kind: 'all' });
        i++;
        continue;
      }
      const name = /^[A-Za-z0-9_-]+/.exec(text.slice(i))?.[0];
      if (name === undefined) {
        if (i >= text.length) break; // `{.}` is the whole document
        return fail('expected a field name');
      }
      segments.push({ kind: 'field', name });
      i += name.length;
    } else if (c === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) fail('unclosed [');
      const inner = text.slice(i + 1, close).trim();
      if (inner === '*') segments.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) segments.push({ kind: 'index', index: Number(inner) });
      else if (/^'[^']*'$|^"[^"]*"$/.test(inner)) segments.push({ kind: 'field', name: inner.slice(1, -1) });
      else fail(`unsupported selector [${inner}]`);
      i = close + 1;
    } else {
      fail(`unexpected ${JSON.stringify(c)}`);
    }
  }
  return segments;
}

/** Every value the path selects from `data`, in document order (empty when nothing matches). */
export function selectJsonPath(data: unknown, path: string): unknown[] {
  let current: unknown[] = [data];
  for (const segment of parseJsonPath(path)) {
    const next: unknown[] = [];
    for (const value of current) {
      if (segment.kind === 'field') {
        if (value !== null && typeof value === 'object' && !Array.isArray(value) && segment.name in value)
          next.push((value as Record<string, unknown>)[segment.name]);
      } else if (segment.kind === 'index') {
        if (Array.isArray(value)) {
          const at = segment.index < 0 ? value.length + segment.index : segment.index;
          if (at >= 0 && at < value.length) next.push(value[at]);
        }
      } else if (Array.isArray(value)) next.push(...(value as unknown[]));
      else if (value !== null && typeof value === 'object') next.push(...Object.values(value));
    }
    current = next;
  }
  return current;
}
