import type { App } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';

export function registerActions(app: App, ctx: AppContext): void {
  void app;
  void ctx;
}
