// The detail texts of upstream's Rollout validation (pkg/apis/rollouts/validation), kept word for
// word (typos included): they end up in the InvalidSpec condition and in `rk lint`.
export const MESSAGES = {
  missingField: (f: string) => `Rollout has missing field '${f}'`,
  setWeight: (max: number) => `SetWeight needs to be between 0 and ${max}`,
  duration: 'Duration needs to be greater than 0',
  maxSurgeMaxUnavailable: 'MaxSurge and MaxUnavailable both can not be zero',
  step: 'Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause',
  strategy: 'Multiple Strategies can not be listed',
  duplicateBlueGreen:
    'This rollout uses the same service for the active and preview services, but two different services are required.',
  duplicateCanary:
    'This rollout uses the same service for the stable and canary services, but two different services are required.',
  antiAffinityStrategy: 'AntiAffinity must have exactly one strategy listed',
  antiAffinityWeight: 'AntiAffinity weight must be between 1-100',
  scaleDownLimit:
    "This rollout's revision history limit can not be smaller than the rollout's scale down limit",
  trafficRoutingServices: 'Canary service and Stable service must to be set to use Traffic Routing',
  scaleDownDelay: 'Canary scaleDownDelaySeconds can only be used with traffic routing',
  dynamicStableScale: 'Canary dynamicStableScale can only be used with traffic routing',
  dynamicWithDelay: 'Canary dynamicStableScale cannot be used with scaleDownDelaySeconds',
  maxTrafficWeight: 'Canary maxTrafficWeight in traffic routing only support in Nginx and Plugins',
  setCanaryScale: 'SetCanaryScale requires TrafficRouting to be set',
  setHeaderRoute: 'SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix',
  setMirrorRoute: 'SetMirrorRoute requires TrafficRouting, supports Istio only',
  stringMatchMultiple: 'StringMatch match value must have exactly one of the following: exact, regex, prefix',
  stringMatchMissing:
    'StringMatch value missed, match value must have one of the following: exact, regex, prefix',
  headerRouteAlb: "SetHeaderRoute match value invalid. ALB supports 'exact' value only",
  routerTarget: (router: string, fields: string) => `${router} traffic routing needs one of ${fields}`,
  routeNotManaged:
    'Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes',
  experimentWeight: 'Experiment template weight cannot be set unless TrafficRouting is enabled',
  experimentWeightRouter:
    'Experiment template weight is only available for TrafficRouting with SMI, ALB, and Istio at this time',
  selectorMismatch: '`selector` does not match template `labels`',
  intOrPercent: 'must be an integer or a percentage (e.g. 1 or "25%")',
} as const;
