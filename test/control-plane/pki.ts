// A throw-away PKI for one control-plane run, made with openssl: a CA, the apiserver's serving
// certificate for 127.0.0.1, an admin client certificate in system:masters (the components and
// the harness bypass RBAC; product RBAC is tested with ServiceAccount tokens), and the
// ServiceAccount signing key pair.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Pki {
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

export function pkiPaths(dir: string): Pki {
  const p = (f: string) => join(dir, f);
  return {
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    apiserverCert: p('apiserver.crt'),
    apiserverKey: p('apiserver.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    serviceAccountKey: p('sa.key'),
    serviceAccountPub: p('sa.pub'),
  };
}

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir });
  } catch (cause) {
    throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed (is openssl 3 installed?)`, { cause });
  }
}

/** Writes a fresh PKI into `dir` and returns the file paths. Takes about a second. */
export async function createPki(dir: string): Promise<Pki> {
  const pki = pkiPaths(dir);
  await openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '3650',
    '-subj',
    '/CN=rollout-kit-test-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    pki.caKey,
    '-out',
    pki.caCert,
  ]);
  const sans = [
    'IP:127.0.0.1',
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'IP:10.96.0.1',
  ];
  await writeFile(
    join(dir, 'server.ext'),
    `subjectAltName=${sans.join(',')}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n`,
  );
  await writeFile(
    join(dir, 'client.ext'),
    'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n',
  );
  await Promise.all([
    signed(dir, pki, '/CN=kube-apiserver', 'apiserver', 'server.ext'),
    signed(dir, pki, '/O=system:masters/CN=rollout-kit-admin', 'admin', 'client.ext'),
    openssl(dir, ['genrsa', '-out', pki.serviceAccountKey, '2048']).then(() =>
      openssl(dir, ['rsa', '-in', pki.serviceAccountKey, '-pubout', '-out', pki.serviceAccountPub]),
    ),
  ]);
  return pki;
}

async function signed(dir: string, pki: Pki, subject: string, name: string, ext: string): Promise<void> {
  await openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    subject,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
  ]);
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    pki.caCert,
    '-CAkey',
    pki.caKey,
    '-set_serial',
    `0x${Math.floor(Math.random() * 2 ** 48).toString(16)}`,
    '-days',
    '3650',
    '-extfile',
    ext,
    '-out',
    `${name}.crt`,
  ]);
}
