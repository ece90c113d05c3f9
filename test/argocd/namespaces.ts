// Command lines that start an Argo CD process inside Linux namespaces of its own with `unshare`
// (util-linux), so the tests change nothing on the machine:
// - argocd-server reads UI extensions from the fixed path /tmp/extensions. In a private mount
//   namespace its /tmp is a directory of the test run, with the extensions directory (the pod's
//   shared volume) bound at /tmp/extensions; the machine's own /tmp/extensions is never touched.
// - The application controller gets a network namespace with only a loopback interface (see
//   netns-bridge.ts for why and how it still reaches the API server).
// `unshare` without --fork execs the command, and the shell execs it in turn, so the recorded PID
// is the Argo CD process itself. As root no user namespace is needed; otherwise --map-root-user
// gives the process the capabilities to mount and to bring up its loopback interface.
import { BRIDGE_SCRIPT, READY_FILE } from './netns-bridge.ts';

export interface CommandLine {
  command: string;
  args: string[];
}

const asUser = (uid: number): string[] => (uid === 0 ? [] : ['--map-root-user']);

/**
 * Runs `inner` with `privateTmp` mounted at /tmp and `extensionsDir` at /tmp/extensions.
 * Paths in `inner` that lay under /tmp outside `privateTmp` are no longer visible to it.
 */
export function withPrivateTmp(
  inner: CommandLine,
  dirs: { privateTmp: string; extensionsDir: string },
  uid: number,
): CommandLine {
  // The extensions directory is first bound inside the private /tmp (still under its real path),
  // then the whole of it, submount included, over /tmp.
  const script = [
    'mkdir -p "$1/extensions"',
    'mount --bind "$2" "$1/extensions"',
    'mount --rbind "$1" /tmp',
    'shift 2',
    'exec "$@"',
  ].join('\n');
  return {
    command: 'unshare',
    args: [
      '--mount',
      '--propagation',
      'private',
      ...asUser(uid),
      '--',
      'sh',
      '-euc',
      script,
      'sh',
      dirs.privateTmp,
      dirs.extensionsDir,
      inner.command,
      ...inner.args,
    ],
  };
}

/**
 * Runs `inner` in a network namespace of its own where 127.0.0.1:<port> of each of `ports`
 * leads to the same port outside, through the Unix sockets in `bridgeDir`.
 */
export function withPrivateNetwork(
  inner: CommandLine,
  bridge: { dir: string; ports: number[]; node: string },
  uid: number,
): CommandLine {
  const script = [
    'ip link set lo up',
    'dir=$1; node=$2; count=$3; shift 3',
    // The bridge's ports are the next $count arguments; the command follows them.
    'ports=""; i=0',
    'while [ "$i" -lt "$count" ]; do ports="$ports $1"; shift; i=$((i + 1)); done',
    `"$node" "${BRIDGE_SCRIPT}" "$dir" $ports &`,
    // The command starts only once every listener inside is up (at most 20 s).
    'n=0',
    `while [ ! -e "$dir/${READY_FILE}" ]; do`,
    '  n=$((n + 1)); [ "$n" -le 200 ] || { echo "netns bridge did not start" >&2; exit 1; }',
    '  sleep 0.1',
    'done',
    'exec "$@"',
  ].join('\n');
  return {
    command: 'unshare',
    args: [
      '--net',
      ...asUser(uid),
      '--',
      'sh',
      '-euc',
      script,
      'sh',
      bridge.dir,
      bridge.node,
      String(bridge.ports.length),
      ...bridge.ports.map(String),
      inner.command,
      ...inner.args,
    ],
  };
}
