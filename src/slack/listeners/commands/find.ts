// `/bugs find <trace id | request id | sha prefix ≥ 7>`: answered privately with the bugs that mention it.
import { findBugsByTelemetry } from '../../../services/telemetry.ts';
import { buildFindResults } from '../../views/find-results.ts';
import type { Subcommand } from './subcommand.ts';

export const findSubcommand: Subcommand = {
  name: 'find',
  usage: 'find <trace id | request id | sha>',
  summary: 'bugs that mention a trace id, a request id or a release SHA (7 characters or more)',
  async handle({ ack, ctx, args }) {
    const matches = await findBugsByTelemetry(ctx, args.join(' '));
    const message = buildFindResults(
      matches.ok
        ? {
            query: matches.query.value,
            total: matches.total,
            items: matches.bugs.map((bug) => ({
              ref: bug.ref,
              title: bug.title,
              status: bug.status,
              permalink: ctx.threadLinkFor(bug),
            })),
          }
        : null,
    );
    await ack({ response_type: 'ephemeral', ...message });
  },
};
