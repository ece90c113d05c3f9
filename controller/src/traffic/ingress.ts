// The networking.k8s.io/v1 Ingress fields the NGINX and ALB routers read and write.
import type { ObjectMeta } from '@rollout-kit/api';
import type { ObjectRef } from './router.ts';

export interface IngressBackend {
  service?: { name: string; port?: { number?: number; name?: string } };
  resource?: unknown;
}

export interface IngressPath {
  path?: string;
  pathType?: string;
  backend: IngressBackend;
}

export interface IngressRule {
  host?: string;
  http?: { paths: IngressPath[] };
}

export interface Ingress {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: IngressRule[];
  };
  status?: unknown;
  [field: string]: unknown;
}

export const ingressRef = (namespace: string, name: string): ObjectRef => ({
  group: 'networking.k8s.io',
  version: 'v1',
  resource: 'ingresses',
  kind: 'Ingress',
  namespace,
  name,
});

/** Whether any rule of the Ingress sends a path to Service `service`. */
export function hasRuleWithService(ingress: Ingress, service: string): boolean {
  return (ingress.spec?.rules ?? []).some((rule) =>
    (rule.http?.paths ?? []).some((p) => p.backend.service?.name === service),
  );
}
