// Modal submissions (view_submission): each callback id (messages/ids.ts) mapped to its handler.
import type { App } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { VIEWS } from '../../../messages/ids.ts';
import { handleReleaseClaimsSubmission } from './release-claims-submission.ts';
import { handleReportSubmission } from './report-submission.ts';
import { handleResolveSubmission } from './resolve-submission.ts';
import { handleStillBrokenSubmission } from './still-broken-submission.ts';

export function registerViews(app: App, ctx: AppContext): void {
  app.view(VIEWS.reportBug, handleReportSubmission(ctx));
  app.view(VIEWS.resolveBug, handleResolveSubmission(ctx));
  app.view(VIEWS.releaseClaims, handleReleaseClaimsSubmission(ctx));
  app.view(VIEWS.stillBroken, handleStillBrokenSubmission(ctx));
}
