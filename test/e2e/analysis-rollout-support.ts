// The set-up the Rollout analysis tests share: a REAL Prometheus scraping an exporter whose
// success_rate series the tests set (one per test namespace), a loopback web metric (`{"rate": n}`
// per namespace, `/http-500` for a store that is down), the controller, and helpers to create
// templates, list runs and take a canary from a first deploy into an update.
import type { AnalysisRun, AnalysisTemplateSpec, CanaryStep, Rollout } from '@rollout-kit/api';
import { applyCrds, startController, type RunningController } from '../support/controller.ts';
import { kube } from '../support/kube.ts';
import { namespacePerTest } from '../support/namespace.ts';
import { webRollout, healthy, createRollout, patchRollout, waitForRollout } from '../support/rollouts.ts';
import {
  json,
  loopbackServer,
  startPrometheus,
  type LoopbackServer,
  type RunningPrometheus,
} from './analysis-support.ts';

export { healthy };

/** A 4-replica canary `web` on argoproj/rollouts-demo:blue; `background` adds canary fields. */
export function canaryRollout(steps: CanaryStep[], background?: Rollout['spec']): Rollout {
  return webRollout('argoproj/rollouts-demo:blue', {
    replicas: 4,
    strategy: { canary: { steps, ...(background?.strategy?.canary ?? {}) } },
  });
}

export interface AnalysisRolloutFixture {
  ns: { readonly name: string };
  controller: { current?: RunningController };
  /** success_rate{service="<namespace>"} served by the exporter, per test namespace. */
  successRate: Map<string, number>;
  /** The web metric's answer, per test namespace. */
  webRate: Map<string, number>;
  webUrl(): string;
  prometheusUrl(): string;
  createTemplate(name: string, spec: AnalysisTemplateSpec): Promise<void>;
  listRuns(): Promise<AnalysisRun[]>;
  /** The seed's success-rate template: real PromQL over the exporter's series for one service. */
  successRateTemplate(fields?: Record<string, unknown>): Promise<void>;
  analysisStep(templateName?: string): CanaryStep;
  /** 25% → 50% → the success-rate analysis at step 2 → 75%. */
  seedSteps(): CanaryStep[];
  /** Creates the Rollout, waits for the first deploy (no runs), then updates the image. */
  deployThenUpdate(rollout: Rollout): Promise<{ stable: string }>;
}

/** Registers the hooks of one test file and returns its fixture. */
export function analysisRolloutFixture(controllerName: string): AnalysisRolloutFixture {
  const ns = namespacePerTest();
  const controller: { current?: RunningController } = {};
  const successRate = new Map<string, number>();
  const webRate = new Map<string, number>();
  let exporter: LoopbackServer | undefined;
  let web: LoopbackServer | undefined;
  let prometheus: RunningPrometheus | undefined;

  beforeAll(async () => {
    await applyCrds();
    exporter = await loopbackServer((_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      const lines = ['# TYPE success_rate gauge', 'success_rate{service="ready"} 1'];
      for (const [service, value] of successRate) lines.push(`success_rate{service="${service}"} ${value}`);
      res.end(`${lines.join('\n')}\n`);
    });
    web = await loopbackServer((req, _body, res) => {
      if (req.url === '/http-500') return json(res, 500, { error: 'the metric store is down' });
      const value = webRate.get((req.url ?? '/').slice(1));
      if (value === undefined) json(res, 404, { error: 'no value for this namespace' });
      else json(res, 200, { rate: value });
    });
    prometheus = await startPrometheus(
      `prometheus-${controllerName}`,
      [`127.0.0.1:${exporter.port}`],
      'success_rate',
    );
    controller.current = await startController(controllerName);
  });
  afterAll(async () => {
    await controller.current?.stop();
    await prometheus?.stop();
    await Promise.all([exporter?.close(), web?.close()]);
  });
  afterEach(() => {
    const state = expect.getState();
    if (controller.current && state.assertionCalls !== state.numPassingAsserts)
      process.stderr.write(`controller log:\n${controller.current.tail(60)}\n`);
  });

  const custom = (plural: string) => ({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: ns.name,
    plural,
  });
  const fixture: AnalysisRolloutFixture = {
    ns,
    controller,
    successRate,
    webRate,
    webUrl: () => web?.url ?? '',
    prometheusUrl: () => prometheus?.url ?? '',
    async createTemplate(name, spec) {
      await kube().custom.createNamespacedCustomObject({
        ...custom('analysistemplates'),
        body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name }, spec },
      });
    },
    async listRuns() {
      const list = (await kube().custom.listNamespacedCustomObject(custom('analysisruns'))) as {
        items: AnalysisRun[];
      };
      return list.items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    },
    async successRateTemplate(fields = {}) {
      await fixture.createTemplate('success-rate', {
        args: [{ name: 'service' }],
        metrics: [
          {
            name: 'success-rate',
            interval: '1s',
            count: 2,
            successCondition: 'result[0] >= 0.95',
            provider: {
              prometheus: {
                address: fixture.prometheusUrl(),
                query: 'success_rate{service="{{args.service}}"}',
              },
            },
            ...fields,
          },
        ],
      });
    },
    analysisStep: (templateName = 'success-rate') => ({
      analysis: { templates: [{ templateName }], args: [{ name: 'service', value: ns.name }] },
    }),
    seedSteps: () => [{ setWeight: 25 }, { setWeight: 50 }, fixture.analysisStep(), { setWeight: 75 }],
    async deployThenUpdate(rollout) {
      await createRollout(ns.name, rollout);
      const first = await waitForRollout(ns.name, 'web', 'the initial deploy is Healthy', healthy);
      // The first deploy skips analysis: nothing to compare with.
      expect(await fixture.listRuns()).toEqual([]);
      await patchRollout(ns.name, 'web', {
        spec: {
          template: { spec: { containers: [{ name: 'web', image: 'argoproj/rollouts-demo:yellow' }] } },
        },
      });
      const stable = first.status?.stableRS;
      if (!stable) throw new Error('the initial deploy left no stableRS');
      return { stable };
    },
  };
  return fixture;
}
