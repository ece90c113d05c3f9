import type { Metric } from '@rollout-kit/api';
import { redact, resolveArgs, secretRefs, substituteArgs } from './args.ts';

const secrets = new Map([
  ['db/password', 'hunter2'],
  ['db/empty', ''],
]);

test.each([
  { name: 'inline values', args: [{ name: 'a', value: 'x' }], want: { a: 'x' }, secret: [] },
  {
    name: 'a Secret key',
    args: [{ name: 'p', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
    want: { p: 'hunter2' },
    secret: ['hunter2'],
  },
  {
    name: 'an empty Secret value is a value, not a secret to redact',
    args: [{ name: 'p', valueFrom: { secretKeyRef: { name: 'db', key: 'empty' } } }],
    want: { p: '' },
    secret: [],
  },
  {
    name: 'value wins over valueFrom',
    args: [{ name: 'a', value: 'v', valueFrom: {} }],
    want: { a: 'v' },
    secret: [],
  },
  { name: 'an empty inline value is a value', args: [{ name: 'a', value: '' }], want: { a: '' }, secret: [] },
])('resolveArgs: $name', ({ args, want, secret }) => {
  expect(resolveArgs(args, secrets)).toEqual({ values: want, secrets: secret });
});

test.each([
  { name: 'no value at all', args: [{ name: 'a' }], error: 'args.a was not resolved' },
  {
    name: 'a fieldRef (resolved only by a Rollout)',
    args: [{ name: 'a', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
    error: 'args.a was not resolved',
  },
  {
    name: 'a missing Secret key',
    args: [{ name: 'p', valueFrom: { secretKeyRef: { name: 'db', key: 'user' } } }],
    error: 'args.p: key "user" of Secret "db" could not be read',
  },
])('resolveArgs refuses $name', ({ args, error }) => {
  expect(() => resolveArgs(args, secrets)).toThrow(error);
});

test('secretRefs lists the Secret keys to read', () => {
  expect(
    secretRefs([
      { name: 'a', value: '1' },
      { name: 'p', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
    ]),
  ).toEqual([{ name: 'db', key: 'password' }]);
});

const metric: Metric = {
  name: 'm',
  count: '{{args.count}}',
  successCondition: 'result[0] >= {{ args.threshold }}',
  provider: {
    web: {
      url: 'http://{{args.host}}/x',
      headers: [{ key: 'Authorization', value: 'Bearer {{args.token}}' }],
    },
  },
};

test('substituteArgs fills every string field, whitespace in the tag trimmed', () => {
  const out = substituteArgs(metric, { count: '3', threshold: '0.95', host: 'svc:8080', token: 't' });
  expect(out).toEqual({
    name: 'm',
    count: '3',
    successCondition: 'result[0] >= 0.95',
    provider: { web: { url: 'http://svc:8080/x', headers: [{ key: 'Authorization', value: 'Bearer t' }] } },
  });
  expect(metric.count).toBe('{{args.count}}'); // the input is left alone
});

test('substituteArgs escapes values so quotes and newlines cannot change the structure', () => {
  const out = substituteArgs(metric, { count: '1', threshold: '1', host: 'h', token: 'a"b\nc}' });
  expect(out.provider.web?.headers?.[0]?.value).toBe('Bearer a"b\nc}');
});

test('substituteArgs names every placeholder the run does not supply', () => {
  expect(() => substituteArgs(metric, { count: '1' })).toThrow(
    'metric "m": {{args.threshold}}, {{args.host}}, {{args.token}} not supplied by the run\'s args',
  );
});

test.each([
  { name: 'every occurrence', text: 'a hunter2 b hunter2', want: 'a ***** b *****' },
  { name: 'nothing to hide', text: 'plain', want: 'plain' },
])('redact: $name', ({ text, want }) => {
  expect(redact(text, ['hunter2', ''])).toBe(want);
});
