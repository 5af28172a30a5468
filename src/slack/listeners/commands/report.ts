// `/bugs report`: opens the report modal.
import { buildReportModal } from '../../views/report-modal.ts';
import type { Subcommand } from './subcommand.ts';

export const reportSubcommand: Subcommand = {
  name: 'report',
  usage: 'report',
  summary: 'report a bug in a form',
  async handle({ ack, ctx, command }) {
    await ack();
    await ctx.slack.views.open({ trigger_id: command.trigger_id, view: buildReportModal() });
  },
};
