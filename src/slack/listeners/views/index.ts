import type { App } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';

export function registerViews(app: App, ctx: AppContext): void {
  void app;
  void ctx;
}
