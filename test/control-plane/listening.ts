// Which TCP ports are listening on this machine, read from /proc/net/tcp{,6} (no `ss` needed).
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

const LISTEN = '0A';

/** Ports in LISTEN state in the text of a /proc/net/tcp file. */
export function parseListeningPorts(procNetTcp: string): number[] {
  const ports: number[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (!local || fields[3] !== LISTEN) continue;
    const port = local.split(':')[1];
    if (port) ports.push(parseInt(port, 16));
  }
  return ports;
}

export function listeningPorts(): number[] {
  return ['/proc/net/tcp', '/proc/net/tcp6']
    .filter((f) => existsSync(f))
    .flatMap((f) => parseListeningPorts(readFileSync(f, 'utf8')));
}

export interface ListeningSocket {
  address: string;
  port: number;
  inode: number;
  loopback: boolean;
}

/** LISTEN sockets of a /proc/net/tcp or tcp6 file, with their inode (to find the owning process). */
export function parseListeningSockets(procNetTcp: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (!local || fields[3] !== LISTEN) continue;
    const [hex, port] = local.split(':') as [string, string];
    // Each 32-bit word is printed little-endian: 127.0.0.1 is 0100007F, ::1 ends in 01000000.
    const words = hex.match(/.{8}/g) ?? [];
    const bytes = words.flatMap((w) => (w.match(/../g) ?? []).map((b) => parseInt(b, 16)).reverse());
    const loopback =
      bytes.length === 4 ? bytes[0] === 127 : bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1;
    const address = bytes.length === 4 ? bytes.join('.') : `[${hex}]`;
    out.push({ address, port: parseInt(port, 16), inode: Number(fields[9]), loopback });
  }
  return out;
}

/**
 * The LISTEN sockets held open by process `pid` (empty when it is gone or not ours to read), as
 * seen in the network namespace of `procNet`: this process's by default, or `/proc/<pid>/net`
 * for the namespace `pid` lives in.
 */
export function listeningSocketsOf(pid: number, procNet = '/proc/net'): ListeningSocket[] {
  let links: string[];
  try {
    links = readdirSync(`/proc/${pid}/fd`).map((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    });
  } catch {
    return [];
  }
  const inodes = new Set(
    links
      .map((l) => /^socket:\[(\d+)\]$/.exec(l)?.[1])
      .filter(Boolean)
      .map(Number),
  );
  return [`${procNet}/tcp`, `${procNet}/tcp6`]
    .filter((f) => existsSync(f))
    .flatMap((f) => parseListeningSockets(readFileSync(f, 'utf8')))
    .filter((s) => inodes.has(s.inode));
}
