// The parts of Argo CD's UI contract the tab reads: the props of a resource tab and the
// registration API. Field names are Argo CD's own (ui/src/app/shared/models.ts); everything is
// optional because the tab must survive whatever the server sends.
import type * as React from 'react';

export interface ResourceRef {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
}

export interface InfoItem {
  name?: string;
  value?: string;
}

export interface ResourceNode extends ResourceRef {
  parentRefs?: ResourceRef[];
  info?: InfoItem[];
  networkingInfo?: { labels?: Record<string, string> };
  images?: string[];
  resourceVersion?: string;
  createdAt?: string;
  health?: { status?: string; message?: string };
}

export interface ApplicationTree {
  nodes?: ResourceNode[];
}

export interface Application {
  metadata?: { name?: string; namespace?: string };
  spec?: { project?: string };
}

/** What Argo CD passes to a resource tab: the live manifest, the live tree, the application. */
export interface ResourceTabProps {
  resource: unknown;
  tree?: ApplicationTree;
  application?: Application;
}

export interface ExtensionsAPI {
  registerResourceExtension(
    component: React.ComponentType<ResourceTabProps>,
    group: string,
    kind: string,
    tabTitle: string,
    opts?: { icon?: string },
  ): void;
}
