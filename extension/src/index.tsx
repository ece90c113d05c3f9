// Registers the Rollout tab with Argo CD. Wiring only: everything the tab shows lives in
// components/ and model/. Argo CD ≤ 3.4 loads extension files without a try/catch, so nothing
// here may throw: a missing extensionsAPI (an old or foreign host page) just registers nothing.
import { RolloutTab } from './components/rollout-tab.tsx';
import type { ExtensionsAPI } from './model/argocd.ts';

declare global {
  interface Window {
    extensionsAPI?: ExtensionsAPI;
  }
}

/** Font Awesome 6 class; Argo CD bundles Font Awesome's CSS globally. */
export const TAB_ICON = 'fa-solid fa-bars-progress';

const api = window.extensionsAPI;
if (api !== undefined && typeof api.registerResourceExtension === 'function') {
  api.registerResourceExtension(RolloutTab, 'argoproj.io', 'Rollout', 'Rollout', { icon: TAB_ICON });
}
