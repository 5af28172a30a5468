// The workspace took bugsweep's access away (the app was uninstalled, or its bot token revoked): every further
// Slack call would fail, so the outbox stops sending. What is queued stays queued and goes out after the app is
// reinstalled and bugsweep restarted with the new token; nothing is lost and nothing retries in a loop meanwhile.
import type { AppContext } from '../app-context.ts';

export type AccessLoss = { reason: 'app_uninstalled' | 'tokens_revoked'; teamId: string | null };

export async function stopSlackCalls(ctx: AppContext, loss: AccessLoss): Promise<void> {
  ctx.logger.error(
    { reason: loss.reason, teamId: loss.teamId },
    `Slack ${loss.reason === 'app_uninstalled' ? 'uninstalled bugsweep from the workspace' : "revoked bugsweep's bot token"}: ` +
      'Slack calls are stopped; reinstall the app, update SLACK_BOT_TOKEN and restart to resume (queued notices are kept)',
  );
  await ctx.notifier.suspend();
}
