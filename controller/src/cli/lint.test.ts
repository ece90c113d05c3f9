import { fieldPath, lintManifest } from './lint.ts';

const rollout = (strategy: string, extra = '') => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1
${strategy}${extra}`;

const canary = `  strategy:
    canary:
      canaryService: web-canary
      steps:
        - setWeight: 20
        - pause: {}
`;

test.each([
  { name: 'a valid canary', text: rollout(canary), want: [] },
  {
    name: 'a weight over 100, at the weight line',
    text: rollout(canary.replace('setWeight: 20', 'setWeight: 120')),
    want: [{ line: 22, col: 22, message: /^spec\.strategy\.steps\[0\]\.setWeight: Invalid value: 120/ }],
  },
  {
    name: 'an unknown field, at its key',
    text: rollout(canary.replace('canaryService', 'canarySevrice')),
    want: [{ line: 20, col: 7, message: /^unknown field "spec\.strategy\.canary\.canarySevrice"$/ }],
  },
  {
    name: 'a Service in the file whose selector does not match',
    text: rollout(
      canary,
      `---
apiVersion: v1
kind: Service
metadata:
  name: web-canary
spec:
  selector:
    app: other
`,
    ),
    want: [{ line: 20, col: 22, message: /Service "web-canary" has unmatch label "app" in rollout/ }],
  },
  {
    name: 'broken YAML, at the error',
    text: 'kind: Rollout\nspec: [a, b\n',
    want: [{ line: 3, col: 1, message: /./ }],
  },
])('$name', ({ text, want }) => {
  const got = lintManifest(text);
  expect(got).toHaveLength(want.length);
  want.forEach((w, i) => {
    expect(got[i]).toMatchObject({ line: w.line, col: w.col });
    expect(got[i]?.message).toMatch(w.message);
  });
});

test.each([
  { field: 'spec.strategy.steps[0].setWeight', want: ['spec', 'strategy', 'steps', 0, 'setWeight'] },
  { field: 'spec.template.spec.containers[1][2]', want: ['spec', 'template', 'spec', 'containers', 1, 2] },
])('fieldPath $field', ({ field, want }) => {
  expect(fieldPath(field)).toEqual(want);
});
