// The Service of an experiment template (`templates[].service`), as upstream 1.9 makes it: named
// after the template's ReplicaSet (`<experiment>-<template>`) unless the template names it,
// selecting the ReplicaSet's labels (pod-template hash included, so it reaches only that
// template's pods), one port per container port, annotated with the experiment and template
// and controlled by the Experiment. Upstream creates none for a template without container
// ports (a Service needs a port). It exists while the template runs and is deleted once the
// template's ReplicaSet is scaled down, or when the template no longer asks for one. Pure.
import {
  EXPERIMENT_NAME_ANNOTATION,
  EXPERIMENT_TEMPLATE_NAME_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  type Experiment,
  type TemplateSpec,
} from '@rollout-kit/api';
import { experimentReference } from './experiment-objects.ts';

export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  targetPort: number;
}

/** The core/v1 Service of a template, as written. */
export interface TemplateService {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: {
    name: string;
    namespace: string;
    annotations: Record<string, string>;
    ownerReferences: ReturnType<typeof experimentReference>[];
  };
  spec: { selector: Record<string, string>; ports: ServicePort[] };
}

/** The name the template's Service gets: its own `service.name`, else the ReplicaSet's name. */
export function templateServiceName(
  experiment: Pick<Experiment, 'metadata'>,
  template: TemplateSpec,
): string {
  return template.service?.name || `${experiment.metadata.name ?? ''}-${template.name}`;
}

/** The container ports of the template as Service ports (same port, targeted by number). */
export function templateServicePorts(template: TemplateSpec): ServicePort[] {
  const ports: ServicePort[] = [];
  for (const container of template.template?.spec?.containers ?? []) {
    for (const p of container.ports ?? []) {
      ports.push({
        ...(p.name ? { name: p.name } : {}),
        ...(p.protocol ? { protocol: p.protocol } : {}),
        port: p.containerPort,
        targetPort: p.containerPort,
      });
    }
  }
  return ports;
}

/**
 * The Service for `template`, whose ReplicaSet has pod-template hash `hash`; undefined when the
 * template has no container port (upstream creates no Service then).
 */
export function experimentService(
  experiment: Experiment,
  template: TemplateSpec,
  hash: string,
): TemplateService | undefined {
  const ports = templateServicePorts(template);
  if (ports.length === 0) return undefined;
  const labels = Object.fromEntries(
    Object.entries(template.template?.metadata?.labels ?? {}).filter(([k]) => k !== POD_TEMPLATE_HASH_LABEL),
  );
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: templateServiceName(experiment, template),
      namespace: experiment.metadata.namespace ?? '',
      annotations: {
        [EXPERIMENT_NAME_ANNOTATION]: experiment.metadata.name ?? '',
        [EXPERIMENT_TEMPLATE_NAME_ANNOTATION]: template.name,
      },
      ownerReferences: [experimentReference(experiment)],
    },
    spec: { selector: { ...labels, [POD_TEMPLATE_HASH_LABEL]: hash }, ports },
  };
}

/** A Service the Experiment controls, by the template its annotation names. */
export interface OwnedService {
  name: string;
  template: string;
}

export interface ServiceActionsInput {
  experiment: Experiment;
  /** The Experiment's Services, by template name. */
  services: ReadonlyMap<string, OwnedService>;
  /** Per template: its ReplicaSet's hash, and whether the ReplicaSet is (being) scaled to 0. */
  replicaSets: ReadonlyMap<string, { hash?: string; scaledDown: boolean }>;
  /** Whether the Experiment has completed (its templates no longer want pods). */
  completed: boolean;
}

export interface ServiceActions {
  /** Templates whose Service must be created. */
  create: string[];
  /** Services to delete, by name. */
  delete: string[];
}

/**
 * Which template Services to create or delete this pass. A running template with `service`
 * and a ReplicaSet gets its Service (when it has ports); a Service whose template no longer asks
 * for one, or whose ReplicaSet is scaled down after the Experiment completed, is deleted.
 */
export function serviceActions(input: ServiceActionsInput): ServiceActions {
  const out: ServiceActions = { create: [], delete: [] };
  const templates = input.experiment.spec.templates ?? [];
  for (const t of templates) {
    const svc = input.services.get(t.name);
    const rs = input.replicaSets.get(t.name);
    if (!t.service) {
      if (svc) out.delete.push(svc.name);
      continue;
    }
    if (input.completed) {
      if (svc && (!rs || rs.scaledDown)) out.delete.push(svc.name);
      continue;
    }
    if (!svc && rs?.hash && templateServicePorts(t).length > 0) out.create.push(t.name);
  }
  // A Service of a template that is gone from the spec goes too.
  for (const [template, svc] of input.services)
    if (!templates.some((t) => t.name === template)) out.delete.push(svc.name);
  return out;
}
