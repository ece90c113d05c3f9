import type { Rollout } from '@rollout-kit/api';
import { changedRows, listRow, listTimestamp, printedRows, renderList, renderRows } from './render-list.ts';

const ro = (
  name: string,
  namespace: string,
  spec: Partial<Rollout['spec']>,
  status: Rollout['status'],
): Rollout => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name, namespace, generation: 1 },
  spec: { replicas: 4, ...spec },
  status: { observedGeneration: '1', ...status },
});

const rollouts = [
  ro(
    'web',
    'shop',
    { strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }] } } },
    {
      phase: 'Paused',
      message: 'CanaryPauseStep',
      currentStepIndex: 1,
      replicas: 5,
      readyReplicas: 5,
      updatedReplicas: 1,
      availableReplicas: 5,
    },
  ),
  ro(
    'api-server',
    'shop',
    { strategy: { blueGreen: { activeService: 'a' } } },
    { phase: 'Healthy', replicas: 4, readyReplicas: 4, updatedReplicas: 4, availableReplicas: 4 },
  ),
];

// As the plugin prints them, trailing spaces included (each value padded to about its header's width).
test.each([
  {
    name: 'one namespace',
    all: false,
    want: [
      'NAME        STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE',
      'web         Canary     Paused        1/2   25          5/5    4        1           5        ',
      'api-server  BlueGreen  Healthy       -     -           4/4    4        4           4        ',
    ],
  },
  {
    name: 'all namespaces put NAMESPACE first',
    all: true,
    want: [
      'NAMESPACE  NAME        STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE',
      'shop       web         Canary     Paused        1/2   25          5/5    4        1           5        ',
      'shop       api-server  BlueGreen  Healthy       -     -           4/4    4        4           4        ',
    ],
  },
])('$name', ({ all, want }) => {
  expect(renderList(rollouts, { allNamespaces: all })).toBe(want.map((line) => `${line}\n`).join(''));
});

test('--timestamps puts TIMESTAMP first, padded as the plugin pads it', () => {
  const timestamp = listTimestamp(Date.UTC(2026, 10, 23, 13, 45, 7, 999));
  expect(timestamp).toBe('2026-11-23T13:45:07Z');
  expect(renderList(rollouts.slice(0, 1), { allNamespaces: true, timestamp })).toBe(
    [
      'TIMESTAMP             NAMESPACE  NAME        STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE',
      '2026-11-23T13:45:07Z  shop       web         Canary     Paused        1/2   25          5/5    4        1           5        ',
    ]
      .map((line) => `${line}\n`)
      .join(''),
  );
});

describe('watch: which rows print again', () => {
  const [web, api] = rollouts.map(listRow) as [ReturnType<typeof listRow>, ReturnType<typeof listRow>];
  const printed = printedRows([web, api]);
  test.each([
    { name: 'nothing changed', rows: [web, api], want: [] as string[] },
    { name: 'one status changed', rows: [{ ...web, status: 'Healthy' }, api], want: ['web:Healthy'] },
    { name: 'a new rollout', rows: [web, api, { ...web, name: 'new' }], want: ['new:Paused'] },
    {
      name: 'same name in another namespace is another rollout',
      rows: [{ ...web, namespace: 'b' }],
      want: ['web:Paused'],
    },
    { name: 'a rollout gone prints nothing', rows: [web], want: [] },
  ])('$name', ({ rows, want }) => {
    expect(changedRows(printed, rows).rows.map((r) => `${r.name}:${r.status}`)).toEqual(want);
  });

  test('a change prints once, then is remembered', () => {
    const first = changedRows(printed, [{ ...web, ready: '4/5' }, api]);
    expect(first.rows).toHaveLength(1);
    expect(changedRows(first.printed, [{ ...web, ready: '4/5' }, api]).rows).toEqual([]);
  });

  test('rows printed later carry no header', () => {
    expect(renderRows([web], { allNamespaces: false, header: false })).toBe(
      'web         Canary     Paused        1/2   25          5/5    4        1           5        \n',
    );
  });
});
