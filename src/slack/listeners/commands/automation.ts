// `/bugs automation off|on <ref>`: developers and admins keep a bug away from the agents' work queue, or hand it back.
import { setAutomation } from '../../../services/agent-work.ts';
import { bugNamedBy, type Subcommand } from './subcommand.ts';

const USAGE =
  'Use `/bugs automation off <ref>` to keep agents away from a bug, or `/bugs automation on <ref>` to allow them again.';

export const automationSubcommand: Subcommand = {
  name: 'automation',
  usage: 'automation off|on <ref>',
  summary: 'keep agents away from a bug (off) or let them pick it up again (on)',
  async handle({ ack, ctx, command, args, threadTs }) {
    const [mode, ref] = args;
    if (mode !== 'off' && mode !== 'on') {
      await ack({ response_type: 'ephemeral', text: USAGE });
      return;
    }
    const bug = await bugNamedBy({ ack, ctx, command, threadTs }, ref);
    if (!bug) return;
    const outcome = await setAutomation(ctx, {
      bugId: bug.id,
      actorId: command.user_id,
      optOut: mode === 'off',
    });
    const text = !outcome.ok
      ? outcome.message
      : !outcome.changed
        ? `${bug.ref} already ${mode === 'off' ? 'is kept away from agents' : 'is open to agents'}.`
        : mode === 'off'
          ? `Agents will leave ${bug.ref} to people.`
          : `Agents may pick up ${bug.ref} again.`;
    await ack({ response_type: 'ephemeral', text });
  },
};
