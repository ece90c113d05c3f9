// Manifests written the way the upstream documentation writes them must keep every field when the
// API server prunes them against our CRD schemas (a pruned field would silently change behaviour)
// and must match the declared types.
import { parse } from 'yaml';
import { CRDS } from './crds.ts';
import type { JSONSchemaProps } from './schema.ts';

/** Paths the API server would prune or reject as the wrong type. */
function schemaProblems(s: JSONSchemaProps, value: unknown, path: string): string[] {
  if (s['x-kubernetes-int-or-string']) {
    return typeof value === 'string' || Number.isInteger(value) ? [] : [`${path}: not int-or-string`];
  }
  switch (s.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: not a string`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: not an integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${path}: not a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: not a boolean`];
    case 'array':
      if (!Array.isArray(value)) return [`${path}: not an array`];
      return value.flatMap((v, i) => schemaProblems(s.items!, v, `${path}[${i}]`));
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return [`${path}: not an object`];
      if (s['x-kubernetes-preserve-unknown-fields']) return [];
      const entries = Object.entries(value);
      if (s.additionalProperties) {
        return entries.flatMap(([k, v]) => schemaProblems(s.additionalProperties!, v, `${path}.${k}`));
      }
      const missing = (s.required ?? []).filter((k) => !(k in value)).map((k) => `${path}.${k}: required`);
      return missing.concat(
        entries.flatMap(([k, v]) => {
          const child = s.properties?.[k];
          if (path === '' && k === 'metadata') return [];
          return child ? schemaProblems(child, v, `${path}.${k}`) : [`${path}.${k}: pruned`];
        }),
      );
    }
    default:
      return [`${path}: schema without type`];
  }
}

function schemaOf(kind: string): JSONSchemaProps {
  const crd = Object.values(CRDS).find((c) => c.spec.names.kind === kind)!;
  return crd.spec.versions[0]!.schema.openAPIV3Schema;
}

const examples: Record<string, string> = {
  'basic canary with every step kind': `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: demo}
spec:
  replicas: 5
  revisionHistoryLimit: 3
  progressDeadlineSeconds: 120
  progressDeadlineAbort: true
  restartAt: "2026-01-01T00:00:00Z"
  rollbackWindow: {revisions: 2}
  analysis: {successfulRunHistoryLimit: 3, unsuccessfulRunHistoryLimit: 2}
  selector: {matchLabels: {app: demo}}
  template:
    metadata: {labels: {app: demo}, annotations: {a: b}}
    spec:
      containers:
        - name: demo
          image: argoproj/rollouts-demo:blue
          ports: [{name: http, containerPort: 8080, protocol: TCP}]
          resources: {requests: {memory: 32Mi, cpu: 5m}, limits: {memory: invalid}}
          readinessProbe: {httpGet: {path: /, port: http}}
          futureField: {kept: true}
  strategy:
    canary:
      canaryService: demo-canary
      stableService: demo-stable
      maxSurge: "25%"
      maxUnavailable: 0
      canaryMetadata: {labels: {role: canary}}
      stableMetadata: {labels: {role: stable}, annotations: {x: y}}
      antiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: {weight: 50}}
      analysis:
        templates: [{templateName: success-rate}]
        startingStep: 2
        args: [{name: service-name, value: demo}, {name: hash, valueFrom: {podTemplateHashValue: Latest}}]
      steps:
        - setWeight: 20
        - pause: {}
        - pause: {duration: 10}
        - pause: {duration: 1h}
        - analysis:
            templates: [{templateName: success-rate, clusterScope: true}]
            args: [{name: image, valueFrom: {fieldRef: {fieldPath: "spec.template.spec.containers[0].image"}}}]
            dryRun: [{metricName: ".*"}]
            measurementRetention: [{metricName: m, limit: 20}]
            analysisRunMetadata: {labels: {team: a}}
        - experiment:
            duration: 5m
            templates:
              - {name: baseline, specRef: stable, replicas: 1, weight: 5, service: {name: svc}, metadata: {labels: {x: y}}}
              - {name: canary, specRef: canary, selector: {matchLabels: {app: demo}}}
            analyses:
              - {name: compare, templateName: compare, requiredForCompletion: true, args: [{name: a, value: b}]}
        - setCanaryScale: {replicas: 3}
        - setCanaryScale: {matchTrafficWeight: true}
        - plugin: {name: argoproj-labs/step, config: {any: [thing]}}
`,
  'traffic-routed canary': `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: tr}
spec:
  selector: {matchLabels: {app: tr}}
  template: {metadata: {labels: {app: tr}}, spec: {containers: [{name: c, image: i}]}}
  strategy:
    canary:
      canaryService: c
      stableService: s
      dynamicStableScale: true
      minPodsPerReplicaSet: 2
      abortScaleDownDelaySeconds: 0
      scaleDownDelaySeconds: 60
      scaleDownDelayRevisionLimit: 1
      replicaProgressThreshold: {type: Percent, value: 90}
      pingPong: {pingService: ping, pongService: pong}
      trafficRouting:
        maxTrafficWeight: 1000
        managedRoutes: [{name: mirror-route}, {name: header-route}]
        nginx:
          stableIngress: web
          annotationPrefix: custom.nginx.org
          additionalIngressAnnotations: {canary-by-header: X-Canary}
        istio:
          virtualService: {name: vs, routes: [primary], tlsRoutes: [{port: 443, sniHosts: [a.example]}]}
          destinationRule: {name: dr, canarySubsetName: canary, stableSubsetName: stable}
        alb: {ingress: ing, servicePort: 80, stickinessConfig: {enabled: true, durationSeconds: 3600}}
        smi: {rootService: root, trafficSplitName: split}
        plugins: {argoproj-labs/gatewayAPI: {httpRoute: r, namespace: ns}}
      steps:
        - setHeaderRoute: {name: header-route, match: [{headerName: Custom, headerValue: {exact: v}}]}
        - setMirrorRoute:
            name: mirror-route
            percentage: 50
            match: [{method: {exact: POST}, path: {prefix: /color}, headers: {agent: {regex: ".*"}}}]
        - setWeight: 500
`,
  'blue-green': `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: bg}
spec:
  replicas: 2
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web, scaleDown: progressively}
  strategy:
    blueGreen:
      activeService: active
      previewService: preview
      previewReplicaCount: 1
      autoPromotionEnabled: false
      autoPromotionSeconds: 30
      maxUnavailable: 1
      scaleDownDelaySeconds: 30
      abortScaleDownDelaySeconds: 0
      prePromotionAnalysis: {templates: [{templateName: smoke}], args: [{name: svc, value: preview}]}
      postPromotionAnalysis: {templates: [{templateName: smoke}]}
      previewMetadata: {labels: {role: preview}}
      activeMetadata: {labels: {role: active}}
      antiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {}}
`,
  'rollout status as the controller writes it': `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: s}
spec: {}
status:
  observedGeneration: "7"
  phase: Paused
  message: CanaryPauseStep
  currentPodHash: 5f6989b587
  stableRS: 7c859447c9
  currentStepIndex: 1
  currentStepHash: 55bfd76497
  controllerPause: true
  pauseConditions: [{reason: CanaryPauseStep, startTime: "2026-01-01T00:00:00Z"}]
  replicas: 5
  updatedReplicas: 1
  readyReplicas: 5
  availableReplicas: 5
  HPAReplicas: 5
  selector: app=demo
  collisionCount: 1
  conditions:
    - type: Paused
      status: "True"
      reason: RolloutPaused
      message: Rollout is paused
      lastUpdateTime: "2026-01-01T00:00:00Z"
      lastTransitionTime: "2026-01-01T00:00:00Z"
  canary:
    currentStepAnalysisRunStatus: {name: run, status: Running}
    weights:
      canary: {weight: 20, serviceName: c, podTemplateHash: 5f6989b587}
      stable: {weight: 80, serviceName: s, podTemplateHash: 7c859447c9}
      verified: true
  blueGreen: {activeSelector: a, previewSelector: b, scaleUpPreviewCheckPoint: true}
`,
  'analysis template with each provider we implement': `
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: success-rate}
spec:
  args:
    - {name: service-name}
    - {name: api-token, valueFrom: {secretKeyRef: {name: token, key: apiToken}}}
  dryRun: [{metricName: web}]
  measurementRetention: [{metricName: ".*", limit: 5}]
  metrics:
    - name: success-rate
      interval: 5m
      initialDelay: 30s
      count: 3
      successCondition: result[0] >= 0.95
      failureLimit: 3
      inconclusiveLimit: 1
      consecutiveErrorLimit: 4
      provider:
        prometheus:
          address: http://prometheus.example.com:9090
          timeout: 20
          insecure: true
          headers: [{key: X-Scope-OrgID, value: tenant_a}]
          query: sum(irate(istio_requests_total{reporter="source",destination_service=~"{{args.service-name}}"}[5m]))
          rangeQuery: {start: now() - duration("5m"), end: now(), step: 1m}
    - name: web
      count: "2"
      interval: 10s
      consecutiveSuccessLimit: 2
      failureLimit: -1
      provider:
        web:
          url: "https://api.example.com/{{args.service-name}}"
          method: POST
          headers: [{key: Authorization, value: "Bearer {{ args.api-token }}"}]
          jsonBody: {key: [1, 2]}
          timeoutSeconds: 20
          jsonPath: "{$.data.ok}"
    - name: job
      provider:
        job:
          metadata: {labels: {a: b}}
          spec:
            backoffLimit: 1
            template: {spec: {containers: [{name: t, image: alpine, command: [sh, -c, "exit 0"]}], restartPolicy: Never}}
    - name: datadog
      provider: {datadog: {apiVersion: v2, interval: 5m, query: "sum:requests{*}"}}
`,
  experiment: `
apiVersion: argoproj.io/v1alpha1
kind: Experiment
metadata: {name: exp}
spec:
  duration: 20m
  progressDeadlineSeconds: 30
  scaleDownDelaySeconds: 10
  templates:
    - name: purple
      replicas: 1
      minReadySeconds: 5
      service: {name: purple}
      selector: {matchLabels: {app: demo, color: purple}}
      template: {metadata: {labels: {app: demo, color: purple}}, spec: {containers: [{name: d, image: d:purple}]}}
  analyses:
    - {name: purple, templateName: http-benchmark, requiredForCompletion: true, args: [{name: host, value: purple}]}
status:
  phase: Running
  availableAt: "2026-01-01T00:00:00Z"
  templateStatuses:
    - {name: purple, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, status: Running, podTemplateHash: abc}
  analysisRuns: [{name: purple, analysisRun: exp-purple, phase: Running}]
`,
};

test.each(Object.entries(examples))('%s keeps every field', (_name, text) => {
  const manifest = parse(text) as { kind: string };
  expect(schemaProblems(schemaOf(manifest.kind), manifest, '')).toEqual([]);
});

test.each([
  {
    name: 'an unknown spec field',
    yaml: 'kind: Rollout\nspec: {replica: 3}',
    want: ['.spec.replica: pruned'],
  },
  {
    name: 'a string replica count',
    yaml: 'kind: Rollout\nspec: {replicas: "3"}',
    want: ['.spec.replicas: not an integer'],
  },
  {
    name: 'a float surge',
    yaml: 'kind: Rollout\nspec: {strategy: {canary: {maxSurge: 1.5}}}',
    want: ['.spec.strategy.canary.maxSurge: not int-or-string'],
  },
  {
    name: 'a blue-green without activeService',
    yaml: 'kind: Rollout\nspec: {strategy: {blueGreen: {}}}',
    want: ['.spec.strategy.blueGreen.activeService: required'],
  },
  {
    name: 'a misspelt status field',
    yaml: 'kind: Rollout\nspec: {}\nstatus: {hpaReplicas: 1}',
    want: ['.status.hpaReplicas: pruned'],
  },
])('the schema rejects $name', ({ yaml, want }) => {
  const manifest = parse(yaml) as { kind: string };
  expect(schemaProblems(schemaOf(manifest.kind), manifest, '')).toEqual(want);
});
