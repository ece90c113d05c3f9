import { parseConfig, type Env } from './config.ts';
import { InstallFailure } from './failure.ts';

const URL_ONLY: Env = { EXTENSION_URL: 'https://example.com/v1/extension.tar' };

describe('parseConfig defaults', () => {
  test('only EXTENSION_URL gives upstream defaults and ours', () => {
    const config = parseConfig(URL_ONLY);
    expect(config).toMatchObject({
      enabled: true,
      checksumUrl: undefined,
      sha256: undefined,
      name: '',
      maxDownloadMs: 30_000,
      ignoreFailure: false,
      jsVars: undefined,
      gitToken: undefined,
      extensionsDir: '/tmp/extensions',
      retries: 3,
      maxExtractBytes: 256 * 1024 * 1024,
    });
    expect(config.enabled && config.url.href).toBe('https://example.com/v1/extension.tar');
  });
});

test.each([
  { name: 'disabled needs no URL', env: { EXTENSION_ENABLED: 'false' }, want: { enabled: false } },
  {
    name: 'any value but true disables, as upstream',
    env: { EXTENSION_ENABLED: 'no' },
    want: { enabled: false },
  },
  {
    name: 'TRUE in capitals enables',
    env: { ...URL_ONLY, EXTENSION_ENABLED: 'TRUE' },
    want: { enabled: true },
  },
  {
    name: 'empty EXTENSION_ENABLED keeps the default',
    env: { ...URL_ONLY, EXTENSION_ENABLED: '' },
    want: { enabled: true },
  },
  {
    name: 'disabled still reads IGNORE_FAILURE and the name',
    env: { EXTENSION_ENABLED: 'false', IGNORE_FAILURE: 'true', EXTENSION_NAME: 'rollout' },
    want: { enabled: false, ignoreFailure: true, name: 'rollout' },
  },
  {
    name: 'MAX_DOWNLOAD_SEC in seconds',
    env: { ...URL_ONLY, MAX_DOWNLOAD_SEC: '2' },
    want: { maxDownloadMs: 2000 },
  },
  {
    name: 'MAX_DOWNLOAD_SEC may be fractional',
    env: { ...URL_ONLY, MAX_DOWNLOAD_SEC: '0.5' },
    want: { maxDownloadMs: 500 },
  },
  {
    name: 'EXTENSIONS_DIR',
    env: { ...URL_ONLY, EXTENSIONS_DIR: '/x/ext' },
    want: { extensionsDir: '/x/ext' },
  },
  {
    name: 'DOWNLOAD_RETRIES 0 turns retries off',
    env: { ...URL_ONLY, DOWNLOAD_RETRIES: '0' },
    want: { retries: 0 },
  },
  {
    name: 'MAX_EXTRACT_MB',
    env: { ...URL_ONLY, MAX_EXTRACT_MB: '2' },
    want: { maxExtractBytes: 2 * 1024 * 1024 },
  },
  {
    name: 'EXTENSION_SHA256 is lower-cased',
    env: { ...URL_ONLY, EXTENSION_SHA256: 'AB'.repeat(32) },
    want: { sha256: 'ab'.repeat(32) },
  },
  {
    name: 'EXTENSION_JS_VARS is parsed',
    env: { ...URL_ONLY, EXTENSION_NAME: 'rollout', EXTENSION_JS_VARS: '{"k":"v"}' },
    want: { jsVars: [{ key: 'k', value: 'v' }] },
  },
  {
    name: 'blank EXTENSION_JS_VARS is no vars',
    env: { ...URL_ONLY, EXTENSION_JS_VARS: '  ' },
    want: { jsVars: undefined },
  },
  { name: 'git token', env: { ...URL_ONLY, EXTENSION_GIT_TOKEN: 'abc' }, want: { gitToken: 'abc' } },
])('$name', ({ env, want }) => {
  expect(parseConfig(env)).toMatchObject(want);
});

test.each([
  { name: 'missing URL', env: {}, message: /EXTENSION_URL must be provided/ },
  { name: 'blank URL', env: { EXTENSION_URL: '  ' }, message: /EXTENSION_URL must be provided/ },
  { name: 'not a URL', env: { EXTENSION_URL: 'extension.tar' }, message: /EXTENSION_URL is not a valid URL/ },
  { name: 'file URL', env: { EXTENSION_URL: 'file:///etc/passwd' }, message: /http or https URL, got file:/ },
  {
    name: 'bad checksum URL',
    env: { ...URL_ONLY, EXTENSION_CHECKSUM_URL: 'ftp://x/y' },
    message: /EXTENSION_CHECKSUM_URL must be an http or https URL/,
  },
  {
    name: 'zero MAX_DOWNLOAD_SEC',
    env: { ...URL_ONLY, MAX_DOWNLOAD_SEC: '0' },
    message: /MAX_DOWNLOAD_SEC must be/,
  },
  { name: 'word MAX_DOWNLOAD_SEC', env: { ...URL_ONLY, MAX_DOWNLOAD_SEC: '30s' }, message: /got "30s"/ },
  {
    name: 'negative retries',
    env: { ...URL_ONLY, DOWNLOAD_RETRIES: '-1' },
    message: /DOWNLOAD_RETRIES must be/,
  },
  { name: 'too many retries', env: { ...URL_ONLY, DOWNLOAD_RETRIES: '11' }, message: /from 0 to 10/ },
  {
    name: 'short sha256',
    env: { ...URL_ONLY, EXTENSION_SHA256: 'abc' },
    message: /EXTENSION_SHA256 must be 64/,
  },
  { name: 'bad JS vars JSON', env: { ...URL_ONLY, EXTENSION_JS_VARS: '{k=v}' }, message: /not valid JSON/ },
  {
    name: 'a name that cannot name the vars file',
    env: { ...URL_ONLY, EXTENSION_NAME: '../x', EXTENSION_JS_VARS: '{}' },
    message: /cannot name EXTENSION_JS_VARS/,
  },
])('refuses $name', ({ env, message }) => {
  let thrown: unknown;
  try {
    parseConfig(env);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InstallFailure);
  expect((thrown as InstallFailure).kind).toBe('config');
  expect((thrown as InstallFailure).exitCode).toBe(2);
  expect((thrown as Error).message).toMatch(message);
});
