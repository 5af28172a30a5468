import type { App } from '@slack/bolt';
import type { AppContext } from '../../../app-context.ts';
import { VIEWS } from '../../ids.ts';
import { handleReportSubmission } from './report-submission.ts';

export function registerViews(app: App, ctx: AppContext): void {
  app.view(VIEWS.reportBug, handleReportSubmission(ctx));
}
