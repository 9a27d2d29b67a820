import type { App } from '@slack/bolt';
import { type InstallListenerDeps, registerInstallListeners } from './admin/install-listeners.js';
import { type AdminListenerDeps, registerAdminListeners } from './admin/listeners.js';
import { type LifecycleListenerDeps, registerLifecycleListeners } from './feedback/lifecycle-listeners.js';
import { type FeedbackListenerDeps, registerFeedbackListeners } from './feedback/listeners.js';
import { type KudosListenerDeps, registerKudosListeners } from './kudos/listeners.js';
import { registerStrategyListeners, type StrategyListenerDeps } from './strategy/listeners.js';

export type ListenerDeps = {
  feedback: FeedbackListenerDeps;
  lifecycle: LifecycleListenerDeps;
  admin: AdminListenerDeps;
  kudos: KudosListenerDeps;
  strategy: StrategyListenerDeps;
  install: InstallListenerDeps;
};

/** Every listener the app registers, in one call: main wires it, and the manifest test records it. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerFeedbackListeners(app, deps.feedback);
  registerLifecycleListeners(app, deps.lifecycle);
  registerAdminListeners(app, deps.admin);
  registerKudosListeners(app, deps.kudos);
  registerStrategyListeners(app, deps.strategy);
  registerInstallListeners(app, deps.install);
}
