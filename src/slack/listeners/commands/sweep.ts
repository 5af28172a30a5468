// `/bugs sweep run [dry]|cancel|pause [note]|resume|status|schedule [<cron> [timezone]|reset]` for admins.

import { splitScheduleWords } from '../../../domain/sweep-schedule.ts';
import { SLASH_COMMAND } from '../../../messages/ids.ts';
import { cancelSweep, pauseSweep, resumeSweep, sweepStatus } from '../../../services/sweep/sweep-control.ts';
import { runSweep } from '../../../services/sweep/sweep-runner.ts';
import { resetSweepSchedule, setSweepSchedule, showSweepSchedule } from '../../../services/sweep/sweep-schedule.ts';
import {
  buildPausedAnswer,
  buildScheduleAnswer,
  buildScheduleRefused,
  buildSweepRunSummary,
  buildSweepStatus,
} from '../../views/sweep-views.ts';
import type { Subcommand } from './subcommand.ts';

const USAGE = `\`${SLASH_COMMAND} sweep run [dry]\`, \`${SLASH_COMMAND} sweep cancel\`, \`${SLASH_COMMAND} sweep pause [note]\`, \`${SLASH_COMMAND} sweep resume\`, \`${SLASH_COMMAND} sweep status\` or \`${SLASH_COMMAND} sweep schedule [<cron> [timezone]|reset]\``;

export const sweepSubcommand: Subcommand = {
  name: 'sweep',
  usage: 'sweep run [dry]|cancel|pause [note]|resume|status|schedule [<cron> [timezone]|reset]',
  summary:
    'run the sweep now (or a dry run), cancel a running one, pause or resume it, see its status, change its schedule',
  adminOnly: true,
  async handle({ ack, ctx, command, args, respond }) {
    const [verb = 'status', ...rest] = args;
    switch (verb.toLowerCase()) {
      case 'run': {
        const dryRun = rest.some((word) => /^(dry|dry-run|--dry-run)$/i.test(word));
        await ack({
          response_type: 'ephemeral',
          text: dryRun
            ? 'Dry run started; I will tell you what it would do.'
            : 'Sweep started; I will tell you when it is done.',
        });
        try {
          const result = await runSweep(ctx, { trigger: 'admin', triggeredBy: command.user_id, dryRun });
          await respond({ response_type: 'ephemeral', replace_original: false, text: buildSweepRunSummary(result) });
        } catch (error) {
          ctx.logger.error({ err: error, by: command.user_id }, 'sweep run from Slack failed');
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: 'The sweep failed part-way; what it did so far stands. The error is in the logs, and `/bugs sweep status` shows the run.',
          });
        }
        return;
      }
      case 'pause': {
        const state = await pauseSweep(ctx, command.user_id, rest.join(' ') || null);
        await ack({
          response_type: 'ephemeral',
          text: buildPausedAnswer(state.pauseNote),
        });
        return;
      }
      case 'cancel': {
        const { runIds } = await cancelSweep(ctx, command.user_id);
        await ack({
          response_type: 'ephemeral',
          text:
            runIds.length > 0
              ? `Asked the running sweep (run ${runIds.map((id) => `#${id}`).join(', ')}) to stop; it stops before its next bug, keeps what it did so far, and is recorded as cancelled.`
              : 'No sweep is running right now; nothing to cancel.',
        });
        return;
      }
      case 'resume':
        await resumeSweep(ctx, command.user_id);
        await ack({ response_type: 'ephemeral', text: 'Resumed: the sweep runs on its schedule again.' });
        return;
      case 'status': {
        const status = await sweepStatus(ctx);
        const message = buildSweepStatus({ ...status, timeZone: ctx.config.sweep.timezone });
        await ack({ response_type: 'ephemeral', ...message });
        return;
      }
      case 'schedule': {
        const configured = { schedule: ctx.config.sweep.schedule, timezone: ctx.config.sweep.timezone };
        if (rest.length === 0) {
          await ack({
            response_type: 'ephemeral',
            text: buildScheduleAnswer(await showSweepSchedule(ctx), configured),
          });
          return;
        }
        if (rest.length === 1 && rest[0]!.toLowerCase() === 'reset') {
          const answer = await resetSweepSchedule(ctx, command.user_id);
          await ack({ response_type: 'ephemeral', text: buildScheduleAnswer(answer, configured) });
          return;
        }
        const outcome = await setSweepSchedule(ctx, command.user_id, splitScheduleWords(rest));
        await ack({
          response_type: 'ephemeral',
          text:
            outcome.change === 'invalid'
              ? buildScheduleRefused(outcome.problem)
              : buildScheduleAnswer(outcome, configured),
        });
        return;
      }
      default:
        await ack({ response_type: 'ephemeral', text: `I know ${USAGE}.` });
    }
  },
};
