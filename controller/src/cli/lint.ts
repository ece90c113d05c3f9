// `lint -f FILE`, offline: the YAML parsed with positions, unknown Rollout fields rejected (the
// plugin decodes strictly; we check against the CRD schema the API server would use), then the
// controller's own validation, with Services from the same file for the reference checks. Every
// message carries the line and column of the field it names.
import type { JSONSchemaProps, Rollout } from '@rollout-kit/api';
import { ROLLOUT_CRD } from '@rollout-kit/api';
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { fieldErrorString, validateRollout, type ServiceInfo } from '../rollout/validate.ts';

export interface LintMessage {
  line: number;
  col: number;
  message: string;
}

type Path = (string | number)[];

/** `spec.strategy.canary.steps[0].setWeight` as path segments. */
export function fieldPath(field: string): Path {
  const path: Path = [];
  for (const part of field.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      path.push(part);
      continue;
    }
    if (m[1]) path.push(m[1]);
    for (const index of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

/** The node at the longest prefix of `path` that exists (a quirky upstream path still lands near). */
function nearestNode(doc: Document, path: Path, atKey: boolean): Node | undefined {
  let node: unknown = doc.contents;
  let found = node as Node | undefined;
  for (const [i, key] of path.entries()) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      next = pair ? ((atKey && i === path.length - 1 ? undefined : pair.value) ?? pair.key) : undefined;
      // [quirk] upstream names canary fields spec.strategy.<field>: look under canary too.
      if (next === undefined && path[i - 1] === 'strategy') {
        const canary = node.get('canary', true);
        if (isMap(canary)) {
          const inner = canary.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
          next = inner
            ? ((atKey && i === path.length - 1 ? undefined : inner.value) ?? inner.key)
            : undefined;
        }
      }
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key];
    }
    if (next === undefined) break;
    node = next;
    found = next as Node;
  }
  return found;
}

/** Line and column (1-based) of the value at `path`, or of its key with `atKey`. */
function position(
  doc: Document,
  lines: LineCounter,
  path: Path,
  atKey = false,
): { line: number; col: number } {
  const node = nearestNode(doc, path, atKey);
  const offset = node?.range?.[0] ?? doc.contents?.range?.[0] ?? 0;
  return lines.linePos(offset);
}

/** Fields of `value` the schema does not know, with their paths. */
export function unknownFields(value: unknown, schema: JSONSchemaProps, path: Path = []): Path[] {
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return [];
  if (Array.isArray(value)) {
    const items = schema.items;
    return items ? value.flatMap((v, i) => unknownFields(v, items, [...path, i])) : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  const out: Path[] = [];
  for (const [key, v] of Object.entries(value)) {
    const sub = schema.properties?.[key] ?? schema.additionalProperties;
    if (sub) out.push(...unknownFields(v, sub, [...path, key]));
    else if (!schema['x-kubernetes-preserve-unknown-fields'] && schema.properties) out.push([...path, key]);
  }
  return out;
}

const pathString = (path: Path) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

function rolloutSchema(): JSONSchemaProps {
  const version = ROLLOUT_CRD.spec.versions[0];
  if (!version) throw new Error('the Rollout CRD has no version');
  return version.schema.openAPIV3Schema;
}

/** Lints the text of a manifest file (one or more YAML documents). No messages means valid. */
export function lintManifest(text: string): LintMessage[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  if (!Array.isArray(docs)) return [{ line: 1, col: 1, message: 'not a YAML stream' }];
  const messages: LintMessage[] = [];
  const services: Record<string, ServiceInfo> = {};
  const rollouts: { doc: Document; rollout: Rollout }[] = [];
  for (const doc of docs) {
    for (const error of doc.errors) {
      const { line, col } = lines.linePos(error.pos[0]);
      messages.push({ line, col, message: error.message.split('\n')[0] ?? error.message });
    }
    if (doc.errors.length > 0) continue;
    const value = doc.toJS() as { kind?: unknown; metadata?: { name?: string }; spec?: unknown } | null;
    if (!value || typeof value !== 'object') continue;
    if (value.kind === 'Service' && value.metadata?.name) {
      const spec = (value.spec ?? {}) as { selector?: Record<string, string> };
      services[value.metadata.name] = {
        annotations: (value.metadata as { annotations?: Record<string, string> }).annotations,
        selector: spec.selector,
      };
    }
    if (value.kind === 'Rollout') {
      for (const path of unknownFields(value, rolloutSchema()).filter((p) => p[0] !== 'metadata')) {
        messages.push({
          ...position(doc, lines, path, true),
          message: `unknown field "${pathString(path)}"`,
        });
      }
      rollouts.push({ doc, rollout: value as unknown as Rollout });
    }
  }
  for (const { doc, rollout } of rollouts) {
    if (typeof rollout.spec !== 'object' || rollout.spec === null) {
      messages.push({ ...position(doc, lines, ['spec']), message: 'spec: Required value' });
      continue;
    }
    // Offline, a Service missing from the file may well exist in the cluster: only the Services
    // found here are checked.
    const errors = validateRollout(rollout, services).filter(
      (e) => !/^service ".*" not found$/.test(e.detail),
    );
    for (const error of errors) {
      messages.push({ ...position(doc, lines, fieldPath(error.field)), message: fieldErrorString(error) });
    }
  }
  return messages.sort((a, b) => a.line - b.line || a.col - b.col);
}
