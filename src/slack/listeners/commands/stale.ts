// `/bugs stale`: admins preview what the next sweep would do, without doing it.
import { isSweepPaused, previewSweep } from '../../../services/sweep/sweep-control.ts';
import { buildSweepPreview } from '../../views/sweep-views.ts';
import type { Subcommand } from './subcommand.ts';

export const staleSubcommand: Subcommand = {
  name: 'stale',
  usage: 'stale',
  summary: 'preview what the next sweep would warn, close, remind and release',
  adminOnly: true,
  async handle({ ack, ctx }) {
    const [preview, paused] = await Promise.all([previewSweep(ctx), isSweepPaused(ctx)]);
    const message = buildSweepPreview(preview, {
      threadLinkFor: ctx.threadLinkFor,
      timeZone: ctx.config.sweep.timezone,
      paused,
    });
    await ack({ response_type: 'ephemeral', ...message });
  },
};
