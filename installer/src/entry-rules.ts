/**
 * The rules for each entry of an extension archive: what gets written where, and what makes the
 * whole archive unsafe. Only `resources/**` is installed (as upstream); everything else is skipped.
 *
 * The guarantees: nothing is written outside the staging directory, nothing is written through a
 * symbolic link, device files never exist, and the total size is capped. Paths are checked as
 * text, so there is nothing to race with on disk:
 * - a path with `..`, an absolute path, a Windows drive or a backslash makes the archive unsafe;
 * - an entry may not sit beneath an earlier file or symlink, nor replace a symlink or change kind;
 * - a symlink target must be relative and may only climb (`../`) at its start, and no higher than
 *   `resources/`; as every symlink obeys this from a real directory, following any chain of them
 *   stays inside `resources/` (argocd-server does not follow them anyway);
 * - a hard link must name an earlier regular file under `resources/` and is written as a copy.
 */
export interface ArchiveEntry {
  /** The entry's path as stored in the archive (after pax and GNU long-name headers). */
  path: string;
  /** The tar type name: File, Directory, SymbolicLink, Link, CharacterDevice, … */
  type: string;
  /** Bytes of content (regular files only; 0 for the rest). */
  size: number;
  linkpath?: string | undefined;
}

export interface Limits {
  /** Total bytes all installed files may hold. */
  maxBytes: number;
  /** Entries the archive may hold, installed or not. */
  maxEntries: number;
}

export type EntryPlan =
  | { action: 'skip'; reason: string }
  | { action: 'directory'; path: string }
  | { action: 'file'; path: string; size: number }
  | { action: 'symlink'; path: string; target: string }
  | { action: 'copy'; path: string; from: string; size: number }
  | { action: 'reject'; kind: 'unsafeEntry' | 'tooLarge'; reason: string };

type Kind = 'file' | 'directory' | 'symlink';

/** What has been planned so far. Create with newExtraction(); recordEntry() updates it in place. */
export interface Extraction {
  readonly kinds: Map<string, { kind: Kind; size: number }>;
  bytes: number;
  entries: number;
}

export const INSTALLED_ROOT = 'resources';

export function newExtraction(): Extraction {
  return { kinds: new Map(), bytes: 0, entries: 0 };
}

/**
 * Splits an archive path into its segments without `.` or empty ones (`./resources//a/` is
 * `resources/a`), or explains why the path is unsafe.
 */
export function pathSegments(raw: string): { segments: string[] } | { unsafe: string } {
  if (raw === '' || raw.includes('\0')) return { unsafe: 'an empty path' };
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) return { unsafe: 'an absolute path' };
  if (raw.includes('\\')) return { unsafe: 'a backslash in the path' };
  const segments = raw.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { unsafe: 'a ".." in the path' };
  return { segments };
}

/**
 * A symlink target, normalized, if following it from the link at `linkSegments` stays inside
 * `resources/`; undefined otherwise.
 */
export function safeSymlinkTarget(linkSegments: readonly string[], target: string): string | undefined {
  if (target === '' || target.startsWith('/') || target.includes('\\') || target.includes('\0')) {
    return undefined;
  }
  const segments = target.split('/').filter((s) => s !== '' && s !== '.');
  const climbs = segments.findIndex((s) => s !== '..');
  const up = climbs === -1 ? segments.length : climbs;
  if (segments.slice(up).includes('..')) return undefined;
  const depthBelowRoot = linkSegments.length - 2; // directories between resources/ and the link
  if (up > depthBelowRoot) return undefined;
  return segments.length === 0 ? '.' : segments.join('/');
}

/** Decides what to do with one entry, given what the earlier entries planned. Does not record it. */
export function planEntry(entry: ArchiveEntry, done: Extraction, limits: Limits): EntryPlan {
  return checkedAgainstEarlier(freshPlan(entry, done, limits), done);
}

function freshPlan(entry: ArchiveEntry, done: Extraction, limits: Limits): EntryPlan {
  const shown = JSON.stringify(entry.path);
  if (done.entries + 1 > limits.maxEntries) {
    return { action: 'reject', kind: 'tooLarge', reason: `more than ${limits.maxEntries} entries` };
  }
  const parsed = pathSegments(entry.path);
  if ('unsafe' in parsed)
    return { action: 'reject', kind: 'unsafeEntry', reason: `${shown} has ${parsed.unsafe}` };
  const { segments } = parsed;
  if (segments[0] !== INSTALLED_ROOT) return { action: 'skip', reason: `${shown} is outside resources/` };
  const path = segments.join('/');

  const blocked = blockedBy(segments, done);
  if (blocked) return { action: 'reject', kind: 'unsafeEntry', reason: `${shown} ${blocked}` };
  const unsafe = (reason: string): EntryPlan => ({ action: 'reject', kind: 'unsafeEntry', reason });

  switch (entry.type) {
    case 'Directory':
      return { action: 'directory', path };
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      if (segments.length === 1) return unsafe(`${shown} must be a directory`);
      return sized({ action: 'file', path, size: entry.size }, done, limits);
    case 'SymbolicLink': {
      if (segments.length === 1) return unsafe(`${shown} must be a directory`);
      const target = safeSymlinkTarget(segments, entry.linkpath ?? '');
      if (target === undefined) {
        return unsafe(`symlink ${shown} points outside resources/ (to ${JSON.stringify(entry.linkpath)})`);
      }
      return { action: 'symlink', path, target };
    }
    case 'Link': {
      const from = hardLinkSource(entry.linkpath ?? '', done);
      if (from === undefined || segments.length === 1) {
        return unsafe(
          `hard link ${shown} must name an earlier file in resources/, not ${JSON.stringify(entry.linkpath)}`,
        );
      }
      return sized({ action: 'copy', path, from: from.path, size: from.size }, done, limits);
    }
    case 'CharacterDevice':
    case 'BlockDevice':
    case 'FIFO':
      return unsafe(`${shown} is a device or FIFO (${entry.type})`);
    default:
      return unsafe(`${shown} has the unsupported entry type ${entry.type}`);
  }
}

/** Why an entry at `segments` cannot be written, given the earlier ones; undefined when it can. */
function blockedBy(segments: readonly string[], done: Extraction): string | undefined {
  for (let i = 1; i < segments.length; i++) {
    const parent = done.kinds.get(segments.slice(0, i).join('/'));
    if (parent !== undefined && parent.kind !== 'directory') return `is beneath an earlier ${parent.kind}`;
  }
  return undefined;
}

function hardLinkSource(linkpath: string, done: Extraction): { path: string; size: number } | undefined {
  const parsed = pathSegments(linkpath);
  if ('unsafe' in parsed) return undefined;
  const path = parsed.segments.join('/');
  const earlier = done.kinds.get(path);
  return earlier?.kind === 'file' ? { path, size: earlier.size } : undefined;
}

function sized(
  plan: Extract<EntryPlan, { action: 'file' | 'copy' }>,
  done: Extraction,
  limits: Limits,
): EntryPlan {
  if (done.bytes + plan.size > limits.maxBytes) {
    return {
      action: 'reject',
      kind: 'tooLarge',
      reason: `unpacking ${JSON.stringify(plan.path)} would exceed the cap of ${limits.maxBytes} bytes`,
    };
  }
  return plan;
}

/** The kind the plan leaves at its path, to check against what is already there. */
function kindOf(plan: EntryPlan): Kind | undefined {
  switch (plan.action) {
    case 'directory':
      return 'directory';
    case 'file':
    case 'copy':
      return 'file';
    case 'symlink':
      return 'symlink';
    default:
      return undefined;
  }
}

/**
 * Checks that the plan does not replace an earlier entry of another kind or a symlink, and turns
 * it into a rejection if it does. Rewriting a file or repeating a directory is allowed, as in tar.
 */
function checkedAgainstEarlier(plan: EntryPlan, done: Extraction): EntryPlan {
  const kind = kindOf(plan);
  if (kind === undefined || !('path' in plan)) return plan;
  const earlier = done.kinds.get(plan.path);
  if (earlier === undefined) return plan;
  if (earlier.kind === kind && kind !== 'symlink') return plan;
  return {
    action: 'reject',
    kind: 'unsafeEntry',
    reason: `${JSON.stringify(plan.path)} would replace an earlier ${earlier.kind} with a ${kind}`,
  };
}

/** Records a planned entry (and the directories it implies). Mutates `done`. */
export function recordEntry(done: Extraction, plan: EntryPlan): void {
  done.entries += 1;
  const kind = kindOf(plan);
  if (kind === undefined || !('path' in plan)) return;
  const segments = plan.path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const parent = segments.slice(0, i).join('/');
    if (!done.kinds.has(parent)) done.kinds.set(parent, { kind: 'directory', size: 0 });
  }
  const size = 'size' in plan ? plan.size : 0;
  done.kinds.set(plan.path, { kind, size });
  done.bytes += size;
}

/** The top-level names under resources/ that the archive installs, sorted. */
export function installedChildren(done: Extraction): string[] {
  const children = new Set<string>();
  for (const path of done.kinds.keys()) {
    const segments = path.split('/');
    if (segments.length >= 2) children.add(segments[1] as string);
  }
  return [...children].sort();
}

/** Every directory under resources/ (itself included), for finding where the vars file goes. */
export function installedDirectories(done: Extraction): string[] {
  return [...done.kinds].filter(([, v]) => v.kind === 'directory').map(([path]) => path);
}
