// Button presses (block_actions): each action id (messages/ids.ts) mapped to its handler.
import type { App } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { ACTIONS } from '../../../messages/ids.ts';
import {
  handleAutomationButton,
  handleKeepOpenButton,
  handleLifecycleButton,
  handleNotDuplicateButton,
  handleResolveButton,
  handleStillBrokenButton,
} from './bug-card-buttons.ts';
import { handleFollowUpButton } from './follow-up-button.ts';
import { handleHomeAdminButton } from './home-admin-buttons.ts';
import { handleHomeReportButton } from './home-report-button.ts';

export function registerActions(app: App, ctx: AppContext): void {
  app.action(ACTIONS.claim, handleLifecycleButton(ctx, 'claim'));
  app.action(ACTIONS.release, handleLifecycleButton(ctx, 'release'));
  app.action(ACTIONS.reopen, handleLifecycleButton(ctx, 'reopen'));
  app.action(ACTIONS.resolve, handleResolveButton(ctx));
  app.action(ACTIONS.keepOpen, handleKeepOpenButton(ctx));
  app.action(ACTIONS.notDuplicate, handleNotDuplicateButton(ctx));
  app.action(ACTIONS.verify, handleLifecycleButton(ctx, 'verify'));
  app.action(ACTIONS.stillBroken, handleStillBrokenButton(ctx));
  app.action(ACTIONS.automationOff, handleAutomationButton(ctx, true));
  app.action(ACTIONS.automationOn, handleAutomationButton(ctx, false));
  app.action(ACTIONS.homeReport, handleHomeReportButton(ctx));
  app.action(ACTIONS.openFollowUp, handleFollowUpButton(ctx));
  app.action(ACTIONS.homeReleaseClaims, handleHomeAdminButton(ctx, 'release'));
  app.action(ACTIONS.homePauseSweep, handleHomeAdminButton(ctx, 'pause'));
  app.action(ACTIONS.homeResumeSweep, handleHomeAdminButton(ctx, 'resume'));
  app.action(ACTIONS.homeRunSweep, handleHomeAdminButton(ctx, 'run'));
}
