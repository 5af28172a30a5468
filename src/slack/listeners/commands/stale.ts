import { getSweepState } from '../../../db/repositories/sweep.repository.ts';
import { previewSweep } from '../../../services/sweep/sweep-control.ts';
import { buildSweepPreview } from '../../views/sweep-views.ts';
import type { Subcommand } from './subcommand.ts';

export const staleSubcommand: Subcommand = {
  name: 'stale',
  usage: 'stale',
  summary: 'preview what the next sweep would warn, close, remind and release',
  adminOnly: true,
  async handle({ ack, ctx }) {
    const [preview, state] = await Promise.all([previewSweep(ctx), getSweepState(ctx.orm.em.fork())]);
    const message = buildSweepPreview(preview, {
      permalinkFor: ctx.permalinkFor,
      timeZone: ctx.config.sweep.timezone,
      paused: state.paused,
    });
    await ack({ response_type: 'ephemeral', ...message });
  },
};
