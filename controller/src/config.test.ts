import { ConfigExit, parseConfig, parseDurationMs, type Config } from './config.ts';

const defaults: Config = {
  kubeconfig: undefined,
  namespaced: false,
  instanceId: '',
  rolloutThreads: 10,
  experimentThreads: 10,
  analysisThreads: 30,
  serviceThreads: 10,
  ingressThreads: 10,
  rolloutResyncMs: 900_000,
  qps: 40,
  burst: 80,
  metricsPort: 8090,
  healthzPort: 8080,
  bindAddress: '0.0.0.0',
  leaderElect: true,
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
  logLevel: 'info',
  logFormat: 'json',
  trafficSplitApiVersion: 'v1alpha1',
  warnings: [],
};

test('no flags gives upstream defaults', () => {
  expect(parseConfig([])).toEqual(defaults);
});

test.each([
  { name: 'kubeconfig', args: ['--kubeconfig', '/tmp/kc'], want: { kubeconfig: '/tmp/kc' } },
  { name: 'namespaced bare', args: ['--namespaced'], want: { namespaced: true } },
  { name: 'namespaced=false', args: ['--namespaced=false'], want: { namespaced: false } },
  { name: 'instance id', args: ['--instance-id', 'blue'], want: { instanceId: 'blue' } },
  { name: 'instance id with =', args: ['--instance-id=blue'], want: { instanceId: 'blue' } },
  {
    name: 'threads',
    args: ['--rollout-threads', '3', '--analysis-threads=5'],
    want: { rolloutThreads: 3, analysisThreads: 5 },
  },
  { name: 'resync seconds to ms', args: ['--rollout-resync', '60'], want: { rolloutResyncMs: 60_000 } },
  { name: 'qps may be fractional', args: ['--qps', '2.5', '--burst', '5'], want: { qps: 2.5, burst: 5 } },
  {
    name: 'ports',
    args: ['--metricsPort', '9090', '--healthzPort', '0'],
    want: { metricsPort: 9090, healthzPort: 0 },
  },
  {
    name: 'deprecated --metricsport',
    args: ['--metricsport', '9191'],
    want: { metricsPort: 9191, warnings: ['--metricsport is deprecated: use --metricsPort'] },
  },
  { name: 'bind address', args: ['--bind-address', '127.0.0.1'], want: { bindAddress: '127.0.0.1' } },
  { name: 'leader election off', args: ['--leader-elect=false'], want: { leaderElect: false } },
  {
    name: 'leader election durations in Go syntax',
    args: [
      '--leader-election-lease-duration',
      '1m',
      '--leader-election-renew-deadline=45s',
      '--leader-election-retry-period',
      '500ms',
    ],
    want: { leaseDurationMs: 60_000, renewDeadlineMs: 45_000, retryPeriodMs: 500 },
  },
  {
    name: 'log level and format',
    args: ['--loglevel', 'debug', '--logformat', 'text'],
    want: { logLevel: 'debug', logFormat: 'text' },
  },
  {
    name: 'the SMI TrafficSplit version',
    args: ['--traffic-split-api-version', 'v1alpha3'],
    want: { trafficSplitApiVersion: 'v1alpha3' },
  },
  {
    name: 'router flags are accepted and ignored with a warning',
    args: [
      '--istio-api-version',
      'v1alpha3',
      '--aws-verify-target-group',
      '--nginx-ingress-classes',
      'nginx',
    ],
    want: {
      warnings: [
        '--istio-api-version is accepted for compatibility with Argo Rollouts and ignored',
        '--nginx-ingress-classes is accepted for compatibility with Argo Rollouts and ignored',
        '--aws-verify-target-group is accepted for compatibility with Argo Rollouts and ignored',
      ],
    },
  },
])('$name', ({ args, want }) => {
  expect(parseConfig(args)).toEqual({ ...defaults, ...want });
});

test.each([
  { name: 'unknown flag', args: ['--rollout-thread', '3'], message: /unknown option '--rollout-thread'/ },
  {
    name: 'not a number',
    args: ['--rollout-threads', 'many'],
    message: /--rollout-threads must be an integer >= 1, got "many"/,
  },
  {
    name: 'zero workers',
    args: ['--rollout-threads', '0'],
    message: /--rollout-threads must be an integer >= 1/,
  },
  {
    name: 'bad duration',
    args: ['--leader-election-lease-duration', '15'],
    message: /invalid duration "15"/,
  },
  { name: 'bad bool', args: ['--leader-elect=maybe'], message: /--leader-elect must be true or false/ },
  {
    name: 'bad log level',
    args: ['--loglevel', 'verbose'],
    message: /--loglevel must be one of debug, info, warn, error/,
  },
  {
    name: 'renew deadline not shorter than the lease',
    args: ['--leader-election-renew-deadline', '20s'],
    message: /renew-deadline must be shorter/,
  },
  { name: 'stray argument', args: ['extra'], message: /too many arguments.*extra/ },
])('rejects $name with exit code 2', ({ args, message }) => {
  let caught: unknown;
  try {
    parseConfig(args);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigExit);
  expect((caught as ConfigExit).exitCode).toBe(2);
  expect((caught as ConfigExit).message).toMatch(message);
});

test('--help exits 0 with the usage', () => {
  let caught: unknown;
  try {
    parseConfig(['--help']);
  } catch (error) {
    caught = error;
  }
  expect((caught as ConfigExit).exitCode).toBe(0);
  expect((caught as ConfigExit).output).toContain('--rollout-threads');
  expect((caught as ConfigExit).output).not.toContain('--istio-api-version');
});

describe('parseDurationMs', () => {
  test.each([
    { name: 'seconds', text: '15s', want: 15_000 },
    { name: 'minutes and seconds', text: '1m30s', want: 90_000 },
    { name: 'fractional hours', text: '1.5h', want: 5_400_000 },
    { name: 'milliseconds', text: '500ms', want: 500 },
    { name: 'microseconds', text: '1500us', want: 1.5 },
    { name: 'zero', text: '0', want: 0 },
  ])('$name', ({ text, want }) => {
    expect(parseDurationMs(text)).toBe(want);
  });
  test.each(['', '15', 's', '1x', '1m 30s', '-5s', 'abc'])('rejects "%s"', (text) => {
    expect(() => parseDurationMs(text)).toThrow(/invalid duration/);
  });
});
