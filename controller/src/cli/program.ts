// The `rk` command tree (commander): flags and verbs, each verb a thin adapter that reads with
// RolloutApi, decides with the pure modules beside it, and prints. Everything the program
// touches comes in as `CliDeps`, so tests run it in-process.
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { parseGoDuration } from '../go-duration.ts';
import { analysisRunFromTemplate } from './analysis-run-from-template.ts';
import { RolloutApi } from './api.ts';
import { COMPLETION_SHELLS, completionScript, type CommandTree } from './completion.ts';
import { historyRows, renderHistory } from './history.ts';
import { useColor } from './icons.ts';
import type { Connection, KubeFlags } from './kube-options.ts';
import { lintManifest } from './lint.ts';
import { changedRows, listRow, listTimestamp, printedRows, renderRows } from './render-list.ts';
import { renderRollout } from './render-rollout.ts';
import { rolloutInfo } from './rollout-info.ts';
import {
  abortPatch,
  parseImageArg,
  pausePatch,
  promoteFullPatch,
  promotePatch,
  restartPatch,
  retryPatch,
  retryExperimentPatch,
  terminatePatch,
  withImage,
  type PatchPlan,
} from './patches.ts';
import { degradedError, statusOnceLine, statusOutcome, timeoutError } from './status.ts';
import { undoPlan } from './undo.ts';

export const CLI_NAME = 'rk';
export const CLI_VERSION = '0.1.0';

export interface CliDeps {
  out: (text: string) => void;
  err: (text: string) => void;
  connect: (flags: KubeFlags) => Connection;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  readFile: (path: string) => string;
  isTTY: boolean;
  term?: string;
}

type Output = 'json' | 'yaml' | undefined;

function print(deps: CliDeps, output: Output, value: unknown): void {
  deps.out(output === 'yaml' ? stringify(value) : `${JSON.stringify(value, null, 2)}\n`);
}

/** A duration flag: a Go duration ("10s", "1m30s") or plain seconds. */
export function parseDurationFlag(value: string): number {
  const nanos = /^\d+$/.test(value) ? Number(value) * 1e9 : parseGoDuration(value);
  const ms = nanos === undefined ? undefined : Math.floor(nanos / 1e6);
  if (ms === undefined || ms < 0) throw new Error(`invalid duration "${value}": use e.g. 30s, 5m, 1h`);
  return ms;
}

const outputOption = () => new Option('-o, --output <format>', 'output format').choices(['json', 'yaml']);

function wholeSeconds(flag: unknown): number {
  const seconds = Number(flag ?? 0);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new Error(`invalid --timeout-seconds "${String(flag)}": a whole number of seconds`);
  }
  return seconds;
}

function globals(command: Command): KubeFlags & Record<string, unknown> {
  return command.optsWithGlobals();
}

function session(deps: CliDeps, command: Command) {
  const flags = globals(command);
  const connection = deps.connect(flags);
  return { ...connection, api: new RolloutApi(connection.client), flags };
}

async function getRollout(deps: CliDeps, command: Command, name: string): Promise<void> {
  const { api, namespace, flags } = session(deps, command);
  const seconds = wholeSeconds(flags.timeoutSeconds);
  const color = useColor({ noColor: flags.color === false, isTTY: deps.isTTY, term: deps.term });
  const output = flags.output as Output;
  let last = '';
  // Prints when something changed: a full redraw on a terminal, the new state appended otherwise.
  const render = async (clear: boolean) => {
    const info = rolloutInfo(await api.rolloutObjects(namespace, name), deps.now());
    const text = output ? '' : renderRollout(info, { color, now: deps.now(), metrics: true });
    if (output) print(deps, output, info);
    else if (text !== last) deps.out(clear ? `\x1b[H\x1b[2J\x1b[0;0H${text}` : last ? `\n${text}` : text);
    last = text;
  };
  await render(false);
  if (!flags.watch) return;
  const deadline = seconds > 0 ? deps.now() + seconds * 1000 : Infinity;
  while (deps.now() < deadline) {
    await deps.sleep(1000);
    await render(deps.isTTY);
  }
}

async function listRollouts(deps: CliDeps, command: Command): Promise<void> {
  const { api, namespace, flags } = session(deps, command);
  const all = flags.allNamespaces === true;
  const watch = flags.watch === true;
  const seconds = wholeSeconds(flags.timeoutSeconds);
  const read = async () => {
    const rollouts = await api.listRollouts(all ? undefined : namespace);
    return (flags.name ? rollouts.filter((r) => r.metadata.name === flags.name) : rollouts).map(listRow);
  };
  const options = (header: boolean) => ({
    allNamespaces: all,
    header,
    timestamp: flags.timestamps === true ? listTimestamp(deps.now()) : undefined,
  });
  let rows = await read();
  const output = flags.output as Output;
  if (output && !watch) return print(deps, output, rows);
  if (rows.length === 0 && !watch) {
    deps.err(all ? 'No resources found.\n' : `No resources found in ${namespace} namespace.\n`);
    return;
  }
  if (output) print(deps, output, rows);
  else deps.out(renderRows(rows, options(true)));
  if (!watch) return;
  // The plugin watches the API; we list once a second, which prints the same rows for a person
  // at a terminal and needs no long-lived connection.
  let printed = printedRows(rows);
  const deadline = seconds > 0 ? deps.now() + seconds * 1000 : Infinity;
  while (deps.now() < deadline) {
    await deps.sleep(1000);
    rows = await read();
    const changed = changedRows(printed, rows);
    printed = changed.printed;
    if (changed.rows.length === 0) continue;
    if (output) print(deps, output, changed.rows);
    else deps.out(renderRows(changed.rows, options(false)));
  }
}

async function status(deps: CliDeps, command: Command, name: string): Promise<void> {
  const { api, namespace, flags } = session(deps, command);
  const watch = String(flags.watch) !== 'false';
  const timeoutMs = flags.timeout ? parseDurationFlag(String(flags.timeout)) : 0;
  const deadline = timeoutMs > 0 ? deps.now() + timeoutMs : Infinity;
  if (!watch) {
    deps.out(`${statusOnceLine(statusOutcome(await api.getRollout(namespace, name)))}\n`);
    return;
  }
  let last = '';
  for (;;) {
    const outcome = statusOutcome(await api.getRollout(namespace, name));
    if (outcome.line !== last) deps.out(`${outcome.line}\n`);
    last = outcome.line;
    if (outcome.result === 'healthy') return;
    if (outcome.result === 'degraded') throw degradedError(outcome.message);
    if (deps.now() >= deadline) throw timeoutError();
    await deps.sleep(Math.min(1000, Math.max(0, deadline - deps.now())));
  }
}

function commandTree(command: Command): CommandTree {
  return {
    name: command.name(),
    aliases: command.aliases(),
    flags: command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f)),
    valueFlags: command.options
      .filter((o) => o.required)
      .flatMap((o) => [o.long, o.short].filter((f): f is string => !!f)),
    commands: command.commands.map(commandTree),
  };
}

function addMutatingVerbs(program: Command, deps: CliDeps): void {
  // A verb whose patch does not depend on the Rollout: send it, then say what was done.
  const send =
    (plan: PatchPlan, done: (name: string) => string) =>
    async (name: string, _opts: unknown, command: Command) => {
      const { api, namespace } = session(deps, command);
      await api.sendPlan(namespace, name, plan);
      deps.out(`${done(name)}\n`);
    };

  program
    .command('promote')
    .description('Promote a rollout: resume a pause, or skip the current canary step')
    .argument('<name>', 'rollout name')
    .option('--full', 'skip all remaining steps and analysis')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const { api, namespace, flags } = session(deps, command);
      const rollout = await api.getRollout(namespace, name);
      await api.sendPlan(namespace, name, flags.full ? promoteFullPatch(rollout) : promotePatch(rollout));
      deps.out(flags.full ? `rollout '${name}' fully promoted\n` : `rollout '${name}' promoted\n`);
    });
  program
    .command('abort')
    .description('Abort a rollout: scale the canary down and go back to stable')
    .argument('<name>', 'rollout name')
    .action(send(abortPatch(), (n) => `rollout '${n}' aborted`));
  const retry = program.command('retry').description('Retry an aborted rollout or an experiment');
  retry
    .command('experiment')
    .aliases(['exp'])
    .argument('<name>', 'experiment name')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const { api, namespace } = session(deps, command);
      await api.mergePatch(namespace, 'experiments', name, retryExperimentPatch());
      deps.out(`experiment '${name}' retried\n`);
    });
  const terminate = program.command('terminate').description('Terminate an AnalysisRun or an Experiment');
  terminate
    .command('analysisrun')
    .aliases(['ar'])
    .argument('<names...>', 'analysis run names')
    .action(async (names: string[], _opts: unknown, command: Command) => {
      const { api, namespace } = session(deps, command);
      for (const name of names) {
        await api.mergePatch(namespace, 'analysisruns', name, terminatePatch());
        deps.out(`analysisRun '${name}' terminated\n`);
      }
    });
  terminate
    .command('experiment')
    .aliases(['exp'])
    .argument('<names...>', 'experiment names')
    .action(async (names: string[], _opts: unknown, command: Command) => {
      const { api, namespace } = session(deps, command);
      for (const name of names) {
        await api.mergePatch(namespace, 'experiments', name, terminatePatch());
        // [quirk] the plugin says "retried" here; scripts may match on it.
        deps.out(`experiment '${name}' retried\n`);
      }
    });
  retry
    .command('rollout')
    .aliases(['ro', 'rollouts'])
    .argument('<name>', 'rollout name')
    .action(send(retryPatch(), (n) => `rollout '${n}' retried`));
  program
    .command('pause')
    .description('Pause a rollout')
    .argument('<name>', 'rollout name')
    .action(send(pausePatch(), (n) => `rollout '${n}' paused`));
  program
    .command('restart')
    .description("Restart the rollout's pods")
    .argument('<name>', 'rollout name')
    .option('--in <duration>', 'restart after a delay (e.g. 10s)', '0s')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const { api, namespace, flags } = session(deps, command);
      const inText = String(flags.in ?? '0s');
      await api.sendPlan(namespace, name, restartPatch(deps.now(), parseDurationFlag(inText)));
      deps.out(`rollout '${name}' restarts in ${inText}\n`);
    });
  program
    .command('set')
    .description('Set fields of a rollout')
    .command('image')
    .argument('<name>', 'rollout name')
    .argument('<container=image>', 'container name (or *) and image')
    .action(async (name: string, arg: string, _opts: unknown, command: Command) => {
      const { api, namespace } = session(deps, command);
      const { container, image } = parseImageArg(arg);
      await api.updateRollout(namespace, name, (r) => withImage(r, container, image));
      deps.out(`rollout "${name}" image updated\n`);
    });
  program
    .command('undo')
    .description('Roll back to a previous revision')
    .argument('<name>', 'rollout name')
    .option('--to-revision <n>', 'revision to roll back to (default: the previous one)', '0')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const { api, namespace, flags } = session(deps, command);
      const to = Number(flags.toRevision);
      if (!Number.isInteger(to) || to < 0)
        throw new Error(`invalid --to-revision "${String(flags.toRevision)}"`);
      const rollout = await api.getRollout(namespace, name);
      const plan = undoPlan(rollout, await api.ownedReplicaSets(rollout), to);
      if (plan.kind === 'skip') {
        deps.out(`skipped rollback (current template already matches revision ${plan.revision})\n`);
        return;
      }
      await api.jsonPatchRollout(namespace, name, plan.patch);
      deps.out(`rollout '${name}' undo\n`);
    });
}

function addReadVerbs(program: Command, deps: CliDeps): void {
  program
    .command('get')
    .description('Get details about rollouts')
    .command('rollout')
    .aliases(['ro', 'rollouts'])
    .description('Get details about and visual representation of a rollout')
    .argument('<name>', 'rollout name')
    .option('-w, --watch', 'watch live updates to the rollout')
    .option('--no-color', 'do not colorize output')
    .option('--timeout-seconds <n>', 'stop watching after this many seconds', '0')
    .addOption(outputOption())
    .action((name: string, _opts: unknown, command: Command) => getRollout(deps, command, name));
  program
    .command('list')
    .description('List rollouts')
    .command('rollouts')
    .aliases(['rollout', 'ro'])
    .option('--name <name>', 'only the rollout with this name')
    .option('-w, --watch', 'print a row again whenever a rollout changes')
    .option('--timestamps', 'print the time of each row (UTC)')
    .option('--timeout-seconds <n>', 'stop watching after this many seconds', '0')
    .addOption(outputOption())
    .action((_opts: unknown, command: Command) => listRollouts(deps, command));
  program
    .command('status')
    .description('Show the status of a rollout; exits 0 when Healthy, 1 when Degraded or on timeout')
    .argument('<name>', 'rollout name')
    .option('-w, --watch [bool]', 'watch until Healthy or Degraded (--watch=false: print once)', 'true')
    .option('-t, --timeout <duration>', 'stop watching after this long (0: never)', '0')
    .action((name: string, _opts: unknown, command: Command) => status(deps, command, name));
  program
    .command('history')
    .description('Revisions of a rollout with their images and what happened to them')
    .argument('<name>', 'rollout name')
    .addOption(outputOption())
    .action(async (name: string, _opts: unknown, command: Command) => {
      const { api, namespace, flags } = session(deps, command);
      const rollout = await api.getRollout(namespace, name);
      const rows = historyRows(
        rollout,
        await api.ownedReplicaSets(rollout),
        await api.rolloutEvents(rollout),
      );
      const output = flags.output as Output;
      if (output) return print(deps, output, rows);
      deps.out(renderHistory(rows));
    });
}

export function buildProgram(deps: CliDeps): Command {
  const program = new Command(CLI_NAME)
    .description('Rollout Kit: manage Argo Rollouts from the terminal')
    .option('--kubeconfig <path>', 'path to the kubeconfig file')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('-n, --namespace <name>', 'namespace (default: the context namespace)')
    .option('-A, --all-namespaces', 'all namespaces (list)')
    .configureOutput({ writeOut: deps.out, writeErr: deps.err })
    .exitOverride()
    .showHelpAfterError();
  addReadVerbs(program, deps);
  addMutatingVerbs(program, deps);
  program
    .command('create')
    .description('Create objects')
    .command('analysisrun')
    .aliases(['ar'])
    .description('Create an AnalysisRun from an AnalysisTemplate')
    .requiredOption('--from <template>', 'the AnalysisTemplate (ClusterAnalysisTemplate with --global)')
    .option('--global', 'use a ClusterAnalysisTemplate')
    .option('--name <name>', 'name of the run')
    .option('--generate-name <prefix>', 'name prefix of the run (default: <template>-)')
    .option(
      '-a, --argument <name=value>',
      'a template argument (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--instance-id <id>', 'controller instance id label')
    .action(async (_opts: unknown, command: Command) => {
      const { api, namespace, flags } = session(deps, command);
      const template = await api.getAnalysisTemplate(namespace, String(flags.from), flags.global === true);
      const run = analysisRunFromTemplate(template, {
        args: (flags.argument as string[] | undefined) ?? [],
        name: flags.name as string | undefined,
        generateName: flags.generateName as string | undefined,
        instanceId: flags.instanceId as string | undefined,
      });
      deps.out(`analysisrun.argoproj.io/${await api.createAnalysisRun(namespace, run)} created\n`);
    });
  program
    .command('lint')
    .description('Validate a Rollout manifest offline, with line numbers')
    .requiredOption('-f, --filename <file>', 'manifest file')
    .action((opts: { filename: string }) => {
      const messages = lintManifest(deps.readFile(opts.filename));
      if (messages.length === 0) return;
      for (const m of messages) deps.err(`${opts.filename}:${m.line}:${m.col}: ${m.message}\n`);
      throw new Error(`${opts.filename}: ${messages.length} error${messages.length === 1 ? '' : 's'}`);
    });
  program
    .command('version')
    .description('Print the version')
    .option('--short', 'only the version')
    .action((opts: { short?: boolean }) => {
      deps.out(opts.short ? `v${CLI_VERSION}\n` : `${CLI_NAME}: v${CLI_VERSION}\n`);
    });
  program
    .command('completion')
    .description('Shell completion script (bash, zsh, fish or powershell)')
    .argument('<shell>', COMPLETION_SHELLS.join(', '))
    .action((shell: string) => {
      deps.out(completionScript(shell, commandTree(program)));
    });
  return program;
}
