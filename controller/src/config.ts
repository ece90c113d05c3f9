// The controller's command line, with upstream Argo Rollouts' flag names and defaults, parsed
// into one typed Config. Flags upstream has but we do not implement (traffic-router API
// versions, pprof, klog level…) are accepted and ignored with a warning, so an upstream
// Deployment's args work unchanged; a flag nobody knows is an error that names it.
// Durations take Go's syntax ("15s", "1m30s", "500ms"); --rollout-resync is in seconds.
import { Command, CommanderError, Option } from 'commander';
import { parseGoDuration } from './go-duration.ts';
import { DEFAULT_SMI_API_VERSION, SMI_API_VERSIONS, type SmiApiVersion } from './traffic/smi.ts';

export interface Config {
  /** --kubeconfig; undefined means KUBECONFIG, ~/.kube/config, then in-cluster. */
  kubeconfig: string | undefined;
  /** --namespaced: watch only the namespace of the kubeconfig context / pod. */
  namespaced: boolean;
  /** --instance-id: label sharding of Argo kinds; '' is the default instance. */
  instanceId: string;
  rolloutThreads: number;
  experimentThreads: number;
  analysisThreads: number;
  serviceThreads: number;
  ingressThreads: number;
  /** --rollout-resync (seconds upstream), in ms. */
  rolloutResyncMs: number;
  qps: number;
  burst: number;
  metricsPort: number;
  healthzPort: number;
  /** --bind-address (ours): where /metrics and /healthz listen. */
  bindAddress: string;
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'json' | 'text';
  /** --traffic-split-api-version: the SMI TrafficSplit version the SMI router writes. */
  trafficSplitApiVersion: SmiApiVersion;
  /** Flags accepted for compatibility but ignored, one message each. */
  warnings: string[];
}

/** Thrown for --help and --version (exitCode 0, output to print) and for bad flags (exitCode 2). */
export class ConfigExit extends Error {
  readonly exitCode: number;
  readonly output: string;
  constructor(message: string, exitCode: number, output: string) {
    super(message);
    this.exitCode = exitCode;
    this.output = output;
  }
}

/** Parses a Go duration ("15s", "1m30s", "1.5h", "500ms") to milliseconds; throws on anything else. */
export function parseDurationMs(text: string): number {
  const nanos = parseGoDuration(text.trim());
  if (nanos === undefined || nanos < 0)
    throw new Error(`invalid duration "${text}": use Go syntax such as 15s, 1m30s or 500ms`);
  return nanos / 1e6;
}

function int(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min)
      throw new Error(`${name} must be an integer >= ${min}, got "${value}"`);
    return n;
  };
}

function float(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new Error(`${name} must be a number, got "${value}"`);
    return n;
  };
}

function bool(name: string) {
  return (value: string | undefined): boolean => {
    if (value === undefined || value === 'true' || value === '1' || value === 't' || value === 'True')
      return true;
    if (value === 'false' || value === '0' || value === 'f' || value === 'False') return false;
    throw new Error(`${name} must be true or false, got "${value}"`);
  };
}

function duration(name: string) {
  return (value: string): number => {
    try {
      return parseDurationMs(value);
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`, { cause: error });
    }
  };
}

function oneOf<T extends string>(name: string, values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value))
      throw new Error(`${name} must be one of ${values.join(', ')}, got "${value}"`);
    return value as T;
  };
}

/** Upstream flags we accept and ignore: name → takes a value. */
const IGNORED_FLAGS: Record<string, boolean> = {
  'istio-api-version': true,
  'ambassador-api-version': true,
  'traefik-api-group': true,
  'traefik-api-version': true,
  'appmesh-crd-version': true,
  'ingress-api-version': true,
  'alb-ingress-classes': true,
  'nginx-ingress-classes': true,
  'aws-verify-target-group': false,
  'ephemeral-metadata-threads': true,
  'ephemeral-metadata-update-pod-retries': true,
  kloglevel: true,
  controllers: true,
  'self-service-notification-enabled': false,
  'enable-pprof-address': false,
  'analysis-job-kubeconfig': true,
  'analysis-job-namespace': true,
  context: true,
  cluster: true,
  user: true,
  namespace: true,
  server: true,
  token: true,
};

function program(): Command {
  const cmd = new Command('rollouts-controller')
    .description('Rollout Kit controller: reconciles argoproj.io/v1alpha1 Rollouts')
    .version('0.1.0', '--version')
    .helpOption('-h, --help')
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} })
    .option('--kubeconfig <path>', 'kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)')
    .option(
      '--namespaced [bool]',
      'watch only the namespace of the kubeconfig context / pod',
      bool('--namespaced'),
      false,
    )
    .option('--instance-id <id>', 'only act on objects labelled with this controller instance id', '')
    .option('--rollout-threads <n>', 'Rollout workers', int('--rollout-threads', 1), 10)
    .option('--experiment-threads <n>', 'Experiment workers', int('--experiment-threads', 1), 10)
    .option('--analysis-threads <n>', 'AnalysisRun workers', int('--analysis-threads', 1), 30)
    .option('--service-threads <n>', 'Service workers', int('--service-threads', 1), 10)
    .option('--ingress-threads <n>', 'Ingress workers', int('--ingress-threads', 1), 10)
    .option('--rollout-resync <seconds>', 'informer resync period', int('--rollout-resync', 0), 900)
    .option('--qps <n>', 'API requests per second', float('--qps'), 40)
    .option('--burst <n>', 'API requests allowed in a burst', int('--burst', 0), 80)
    .option('--metricsPort <port>', 'port of /metrics', int('--metricsPort', 0), 8090)
    .addOption(
      new Option('--metricsport <port>', 'deprecated: use --metricsPort')
        .argParser(int('--metricsport', 0))
        .hideHelp(),
    )
    .option('--healthzPort <port>', 'port of /healthz', int('--healthzPort', 0), 8080)
    .option('--bind-address <address>', 'address /metrics and /healthz listen on', '0.0.0.0')
    .option('--leader-elect [bool]', 'elect a leader on a Lease before acting', bool('--leader-elect'), true)
    .option(
      '--leader-election-lease-duration <duration>',
      'lease duration',
      duration('--leader-election-lease-duration'),
      15_000,
    )
    .option(
      '--leader-election-renew-deadline <duration>',
      'renew deadline',
      duration('--leader-election-renew-deadline'),
      10_000,
    )
    .option(
      '--leader-election-retry-period <duration>',
      'retry period',
      duration('--leader-election-retry-period'),
      2_000,
    )
    .option(
      '--loglevel <level>',
      'debug, info, warn or error',
      oneOf('--loglevel', ['debug', 'info', 'warn', 'error'] as const),
      'info',
    )
    .option('--logformat <format>', 'json or text', oneOf('--logformat', ['json', 'text'] as const), 'json')
    .option(
      '--traffic-split-api-version <version>',
      'SMI TrafficSplit API version',
      oneOf('--traffic-split-api-version', SMI_API_VERSIONS),
      DEFAULT_SMI_API_VERSION,
    );
  for (const [name, takesValue] of Object.entries(IGNORED_FLAGS)) {
    cmd.addOption(
      new Option(
        takesValue ? `--${name} <value>` : `--${name} [bool]`,
        'ignored (upstream compatibility)',
      ).hideHelp(),
    );
  }
  return cmd;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** Parses the controller's arguments (without node and the script). Throws ConfigExit. */
export function parseConfig(args: readonly string[]): Config {
  const cmd = program();
  try {
    cmd.parse([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
      const output = error.code === 'commander.version' ? '0.1.0\n' : ok ? cmd.helpInformation() : '';
      throw new ConfigExit(ok ? 'exit' : error.message.replace(/^error: /, ''), ok ? 0 : 2, output);
    }
    // Our own value parsers throw plain Errors that already name the flag.
    throw new ConfigExit(error instanceof Error ? error.message : String(error), 2, '');
  }
  const o = cmd.opts();
  const warnings = Object.keys(IGNORED_FLAGS)
    .filter((name) => o[camel(name)] !== undefined)
    .map((name) => `--${name} is accepted for compatibility with Argo Rollouts and ignored`);
  const config: Config = {
    kubeconfig: o.kubeconfig,
    namespaced: o.namespaced,
    instanceId: o.instanceId,
    rolloutThreads: o.rolloutThreads,
    experimentThreads: o.experimentThreads,
    analysisThreads: o.analysisThreads,
    serviceThreads: o.serviceThreads,
    ingressThreads: o.ingressThreads,
    rolloutResyncMs: o.rolloutResync * 1000,
    qps: o.qps,
    burst: o.burst,
    metricsPort: o.metricsport ?? o.metricsPort,
    healthzPort: o.healthzPort,
    bindAddress: o.bindAddress,
    leaderElect: o.leaderElect,
    leaseDurationMs: o.leaderElectionLeaseDuration,
    renewDeadlineMs: o.leaderElectionRenewDeadline,
    retryPeriodMs: o.leaderElectionRetryPeriod,
    logLevel: o.loglevel,
    logFormat: o.logformat,
    trafficSplitApiVersion: o.trafficSplitApiVersion,
    warnings,
  };
  if (o.metricsport !== undefined) warnings.push('--metricsport is deprecated: use --metricsPort');
  if (config.leaderElect && config.renewDeadlineMs >= config.leaseDurationMs)
    throw new ConfigExit(
      '--leader-election-renew-deadline must be shorter than --leader-election-lease-duration',
      2,
      '',
    );
  if (config.leaderElect && config.retryPeriodMs <= 0)
    throw new ConfigExit('--leader-election-retry-period must be positive', 2, '');
  return config;
}
