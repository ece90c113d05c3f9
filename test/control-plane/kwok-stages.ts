// KWOK stages: how simulated nodes and pods move through their lives. KWOK run standalone has no
// built-in stages, and when several stages match an object it picks one at random, so every
// selector below is written to exclude the others (deletion, phase and the test labels split
// the space). The test-facing label contract is documented in the README's testing section.
import { stringify } from 'yaml';

export const READINESS_LABEL = 'rollout-kit.test/readiness';
export const READY_AFTER_ANNOTATION = 'rollout-kit.test/ready-after';
export const JOB_RESULT_LABEL = 'rollout-kit.test/job-result';
export const KWOK_NODE_LABEL = { key: 'type', value: 'kwok' } as const;

interface Expression {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

interface Stage {
  apiVersion: 'kwok.x-k8s.io/v1alpha1';
  kind: 'Stage';
  metadata: { name: string };
  spec: {
    resourceRef: { apiGroup: 'v1'; kind: 'Node' | 'Pod' };
    selector: { matchExpressions: Expression[] };
    delay?: { durationFrom: { expressionFrom: string } };
    next: { statusTemplate?: string; delete?: boolean };
  };
}

const label = (key: string) => `.metadata.labels["${key}"]`;
const notDeleting: Expression = { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' };
const phase = (value: string): Expression => ({ key: '.status.phase', operator: 'In', values: [value] });

function stage(
  name: string,
  kind: 'Node' | 'Pod',
  matchExpressions: Expression[],
  next: Stage['spec']['next'],
): Stage {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name },
    spec: { resourceRef: { apiGroup: 'v1', kind }, selector: { matchExpressions }, next },
  };
}

const nodeReadyStatus = `{{ $now := Now }}
phase: Running
conditions:
{{ range $t := list "MemoryPressure" "DiskPressure" "PIDPressure" "NetworkUnavailable" }}
- {type: {{ $t }}, status: "False", reason: Simulated, message: "", lastHeartbeatTime: {{ $now | Quote }}, lastTransitionTime: {{ $now | Quote }}}
{{ end }}
- {type: Ready, status: "True", reason: KubeletReady, message: "simulated by kwok", lastHeartbeatTime: {{ $now | Quote }}, lastTransitionTime: {{ $now | Quote }}}
addresses:
- {type: InternalIP, address: {{ NodeIP | Quote }}}
- {type: Hostname, address: {{ .metadata.name | Quote }}}
allocatable: {cpu: "64", memory: 256Gi, pods: "250"}
capacity: {cpu: "64", memory: 256Gi, pods: "250"}
nodeInfo: {architecture: amd64, operatingSystem: linux, kubeletVersion: KUBELET_VERSION, kubeProxyVersion: KUBELET_VERSION, containerRuntimeVersion: kwok, kernelVersion: kwok, osImage: kwok, machineID: "", bootID: "", systemUUID: ""}
`;

/** A Running pod's status; `ready` false simulates a container whose readiness probe never passes. */
function runningPodStatus(ready: boolean): string {
  const cond = ready ? 'status: "True"' : 'status: "False", reason: ContainersNotReady';
  return `{{ $now := Now }}
phase: Running
startTime: {{ $now | Quote }}
hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
podIP: {{ PodIPWith .spec.nodeName (or .spec.hostNetwork false) (or .metadata.uid "") (or .metadata.name "") (or .metadata.namespace "") | Quote }}
conditions:
- {type: PodScheduled, status: "True", lastTransitionTime: {{ $now | Quote }}}
- {type: Initialized, status: "True", lastTransitionTime: {{ $now | Quote }}}
- {type: ContainersReady, ${cond}, lastTransitionTime: {{ $now | Quote }}}
- {type: Ready, ${cond}, lastTransitionTime: {{ $now | Quote }}}
containerStatuses:
{{ range .spec.containers }}
- {name: {{ .name | Quote }}, image: {{ .image | Quote }}, imageID: "", ready: ${ready}, started: true, restartCount: 0, state: {running: {startedAt: {{ $now | Quote }}}}}
{{ end }}
`;
}

/** A finished Job pod: exit 0 (Succeeded) or exit 1 (Failed). */
function finishedPodStatus(succeeded: boolean): string {
  const [phaseName, code, reason] = succeeded ? ['Succeeded', 0, 'Completed'] : ['Failed', 1, 'Error'];
  return `{{ $now := Now }}
phase: ${phaseName}
conditions:
- {type: PodScheduled, status: "True", lastTransitionTime: {{ $now | Quote }}}
- {type: Initialized, status: "True", lastTransitionTime: {{ $now | Quote }}}
- {type: ContainersReady, status: "False", reason: PodCompleted, lastTransitionTime: {{ $now | Quote }}}
- {type: Ready, status: "False", reason: PodCompleted, lastTransitionTime: {{ $now | Quote }}}
containerStatuses:
{{ range .spec.containers }}
- {name: {{ .name | Quote }}, image: {{ .image | Quote }}, imageID: "", ready: false, started: false, restartCount: 0, state: {terminated: {exitCode: ${code}, reason: ${reason}, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }}}}}
{{ end }}
`;
}

/** Every stage of the local control plane, for a kubelet that reports `kubeletVersion`. */
export function kwokStages(kubeletVersion: string): Stage[] {
  const pending = [notDeleting, phase('Pending')];
  const jobPod = [
    notDeleting,
    phase('Running'),
    { key: '.metadata.ownerReferences.[].kind', operator: 'In', values: ['Job'] } as Expression,
  ];
  const delayed = stage(
    'rk-pod-ready-delayed',
    'Pod',
    [...pending, { key: label(READINESS_LABEL), operator: 'In', values: ['delayed'] }],
    { statusTemplate: runningPodStatus(true) },
  );
  delayed.spec.delay = {
    durationFrom: { expressionFrom: `.metadata.annotations["${READY_AFTER_ANNOTATION}"]` },
  };
  return [
    stage(
      'rk-node-ready',
      'Node',
      [
        {
          key: '.status.conditions.[] | select( .type == "Ready" ) | .status',
          operator: 'NotIn',
          values: ['True'],
        },
      ],
      { statusTemplate: nodeReadyStatus.replaceAll('KUBELET_VERSION', kubeletVersion) },
    ),
    stage('rk-pod-ready', 'Pod', [...pending, { key: label(READINESS_LABEL), operator: 'DoesNotExist' }], {
      statusTemplate: runningPodStatus(true),
    }),
    delayed,
    stage(
      'rk-pod-never-ready',
      'Pod',
      [...pending, { key: label(READINESS_LABEL), operator: 'In', values: ['fail'] }],
      {
        statusTemplate: runningPodStatus(false),
      },
    ),
    stage(
      'rk-job-pod-succeeded',
      'Pod',
      [...jobPod, { key: label(JOB_RESULT_LABEL), operator: 'DoesNotExist' }],
      {
        statusTemplate: finishedPodStatus(true),
      },
    ),
    stage(
      'rk-job-pod-failed',
      'Pod',
      [...jobPod, { key: label(JOB_RESULT_LABEL), operator: 'In', values: ['fail'] }],
      {
        statusTemplate: finishedPodStatus(false),
      },
    ),
    stage('rk-pod-delete', 'Pod', [{ key: '.metadata.deletionTimestamp', operator: 'Exists' }], {
      delete: true,
    }),
  ];
}

export function renderStages(stages: Stage[]): string {
  return stages.map((s) => stringify(s, { lineWidth: 0 })).join('---\n');
}

/** A simulated node: KWOK manages it because of the label; no taints, so any pod template fits. */
export function kwokNode(name: string, zone: string) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        [KWOK_NODE_LABEL.key]: KWOK_NODE_LABEL.value,
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/zone': zone,
      },
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    },
  };
}
