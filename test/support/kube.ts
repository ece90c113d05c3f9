// Kubernetes clients for tests, on the kubeconfig the global setup exported.
import {
  ApiextensionsV1Api,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';

export interface Kube {
  config: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  apiextensions: ApiextensionsV1Api;
  custom: CustomObjectsApi;
  objects: KubernetesObjectApi;
}

let cached: Kube | undefined;

export function kube(): Kube {
  if (cached) return cached;
  if (!process.env.KUBECONFIG)
    throw new Error('KUBECONFIG is not set: run integration tests through `make test`');
  const config = new KubeConfig();
  config.loadFromFile(process.env.KUBECONFIG);
  cached = {
    config,
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    batch: config.makeApiClient(BatchV1Api),
    apiextensions: config.makeApiClient(ApiextensionsV1Api),
    custom: config.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(config),
  };
  return cached;
}
