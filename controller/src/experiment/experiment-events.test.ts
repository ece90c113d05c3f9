import type { ExperimentStatus, TemplateStatus } from '@rollout-kit/api';
import { experimentEvents } from './experiment-events.ts';

const t = (name: string, status: string, message?: string): TemplateStatus => ({
  name,
  replicas: 1,
  updatedReplicas: 1,
  readyReplicas: 1,
  availableReplicas: 1,
  status,
  ...(message ? { message } : {}),
});

test.each([
  {
    name: 'the first pass: templates and the Experiment from ""',
    before: undefined,
    after: { phase: 'Pending', templateStatuses: [t('a', 'Progressing')] },
    want: [
      ['Normal', 'TemplateProgressing', "Template 'a' transitioned from  -> Progressing"],
      ['Normal', 'ExperimentPending', 'Experiment transitioned from  -> Pending'],
    ],
  },
  {
    name: 'running',
    before: { phase: 'Pending', templateStatuses: [t('a', 'Progressing')] },
    after: { phase: 'Running', templateStatuses: [t('a', 'Running')] },
    want: [
      ['Normal', 'TemplateRunning', "Template 'a' transitioned from Progressing -> Running"],
      ['Normal', 'ExperimentRunning', 'Experiment transitioned from Pending -> Running'],
    ],
  },
  {
    name: 'a run fails the Experiment: Warnings with the message',
    before: {
      phase: 'Running',
      templateStatuses: [t('a', 'Running')],
      analysisRuns: [{ name: 'rate', analysisRun: 'exp-rate', phase: 'Running' }],
    },
    after: {
      phase: 'Failed',
      templateStatuses: [t('a', 'Running')],
      analysisRuns: [{ name: 'rate', analysisRun: 'exp-rate', phase: 'Failed', message: 'too low' }],
    },
    want: [
      ['Warning', 'AnalysisRunFailed', "AnalysisRun 'rate' transitioned from Running -> Failed: too low"],
      ['Warning', 'ExperimentFailed', 'Experiment transitioned from Running -> Failed'],
    ],
  },
  {
    name: 'a template past its deadline',
    before: { phase: 'Pending', templateStatuses: [t('a', 'Progressing')] },
    after: { phase: 'Pending', templateStatuses: [t('a', 'Failed', 'too slow')] },
    want: [['Warning', 'TemplateFailed', "Template 'a' transitioned from Progressing -> Failed: too slow"]],
  },
  {
    name: 'nothing changed, nothing recorded',
    before: { phase: 'Running', templateStatuses: [t('a', 'Running')] },
    after: { phase: 'Running', templateStatuses: [t('a', 'Running')] },
    want: [],
  },
])('$name', ({ before, after, want }) => {
  const events = experimentEvents(before as ExperimentStatus | undefined, after as ExperimentStatus);
  expect(events.experiment.map((e) => [e.type, e.reason, e.message])).toEqual(want);
});

test('AnalysisRun transitions are also given for the owning Rollout', () => {
  const events = experimentEvents(
    { phase: 'Running', analysisRuns: [] },
    { phase: 'Running', analysisRuns: [{ name: 'rate', analysisRun: 'exp-rate', phase: 'Pending' }] },
  );
  expect(events.analysisRuns.map((e) => e.reason)).toEqual(['AnalysisRunPending']);
});
