// Pure parts of the harness: version file parsing, PID records, /proc/net/tcp parsing.
import { parseListeningPorts, parseListeningSockets } from './listening.ts';
import { parentPid, parsePidRecords } from './processes.ts';
import { parseEnvFile } from './versions.ts';
import { namespaceName } from '../support/namespace.ts';

test.each([
  { name: 'keys and values', text: 'A=1\nB=v1.2.3\n', want: { A: '1', B: 'v1.2.3' } },
  { name: 'comments and blank lines are skipped', text: '# pinned\n\nA=1\n  # x\n', want: { A: '1' } },
  { name: 'a value may contain =', text: 'A=x=y\n', want: { A: 'x=y' } },
])('parseEnvFile: $name', ({ text, want }) => {
  expect(parseEnvFile(text)).toEqual(want);
});

test('parseEnvFile rejects a line without =', () => {
  expect(() => parseEnvFile('JUNK\n')).toThrow(/expected KEY=VALUE, got "JUNK"/);
});

test('parsePidRecords keeps well-formed lines in order', () => {
  expect(parsePidRecords('etcd 10\nkube-apiserver 11\n\ngarbage\nkwok x\nkwok 12\n')).toEqual([
    { name: 'etcd', pid: 10 },
    { name: 'kube-apiserver', pid: 11 },
    { name: 'kwok', pid: 12 },
  ]);
});

const procNetTcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0
   2: 0100007F:1F90 0100007F:A2B4 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 20 4 30 10 -1
`;

test('parseListeningPorts reads LISTEN sockets only', () => {
  expect(parseListeningPorts(procNetTcp)).toEqual([8080, 2024]);
});

test('parseListeningSockets decodes address, port, inode and loopback', () => {
  expect(parseListeningSockets(procNetTcp)).toEqual([
    { address: '127.0.0.1', port: 8080, inode: 1, loopback: true },
    { address: '0.0.0.0', port: 2024, inode: 2, loopback: false },
  ]);
});

test('parseListeningSockets tells IPv6 loopback from the wildcard address', () => {
  const header = 'sl local rem st tx rx tr tm retr uid timeout inode\n';
  const row = (addr: string, inode: number) =>
    `0: ${addr}:1F90 ${'0'.repeat(32)}:0000 0A 0:0 0:0 0 0 0 ${inode}\n`;
  const sockets = parseListeningSockets(
    header + row('00000000000000000000000001000000', 7) + row('0'.repeat(32), 8),
  );
  expect(sockets.map((s) => [s.inode, s.loopback])).toEqual([
    [7, true],
    [8, false],
  ]);
});

test.each([
  { name: 'spaces and case', test: 'A Deployment of 3', want: 'a-deployment-of-3-abc' },
  { name: 'punctuation is folded', test: 'x: y/z (w)', want: 'x-y-z-w-abc' },
  { name: 'empty falls back to test', test: '!!!', want: 'test-abc' },
  { name: 'long names are cut below 63', test: 'n'.repeat(80), want: `${'n'.repeat(50)}-abc` },
])('namespaceName: $name', ({ test: name, want }) => {
  const got = namespaceName(name, 'abc');
  expect(got).toBe(want);
  expect(got.length).toBeLessThanOrEqual(63);
});

test('parentPid reads the kernel view of the parent', () => {
  // While the parent lives, the snapshot Jest took of process.ppid is still right.
  expect(parentPid()).toBe(process.ppid);
});
