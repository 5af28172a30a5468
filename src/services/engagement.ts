// Engagement (ENGAGEMENT_EXEMPT, issue 16): reactions on a bug's root message and bystanders saying they are affected
// too are counted as they come in (db/repositories/engagement.repository.ts), while the setting is on. A bug that
// reaches the setting's threshold is not auto-closed on its reporter's silence (domain/sweep-rules.ts); its card
// says how many people it affects, so each change of a count refreshes the card.
import type { AppContext } from '../app-context.ts';
import { lockBug } from '../db/repositories/bug-report.repository.ts';
import { addAffectedReporter, changeReaction, type ReactionChange } from '../db/repositories/engagement.repository.ts';
import { saysAffectedToo } from '../domain/engagement.ts';
import { requestCardRefresh } from './notices.ts';

/** A reaction added to or removed from a message; counted when the message is a bug's root. */
export async function recordReaction(ctx: AppContext, change: ReactionChange & { added: boolean }): Promise<boolean> {
  if (!ctx.config.engagementExempt) return false;
  const changed = await ctx.orm.em.fork().transactional(async (em) => {
    const result = await changeReaction(em, { ...change, botUserId: ctx.identity.botUserId });
    if (result) {
      const bug = await lockBug(em, result.bugId);
      if (bug) await requestCardRefresh(em, bug, ctx.clock());
    }
    return result !== null;
  });
  if (changed) ctx.notifier.kick();
  return changed;
}

/** A bystander's reply in a bug thread: when it says they are affected too, they are counted, once. */
export async function noteBystanderReply(
  ctx: AppContext,
  reply: { bugId: number; userId: string; text: string; at: Date },
): Promise<boolean> {
  if (!ctx.config.engagementExempt) return false;
  const counted = await ctx.orm.em.fork().transactional(async (em) => {
    const bug = await lockBug(em, reply.bugId);
    if (!bug || bug.reporterId === reply.userId) return false;
    const evidence = { text: `${bug.title}\n${bug.description}`, traceId: bug.traceId, requestId: bug.requestId };
    if (!saysAffectedToo(reply.text, evidence)) return false;
    if (!(await addAffectedReporter(em, { bugId: bug.id, userId: reply.userId, at: reply.at }))) return false;
    await requestCardRefresh(em, bug, ctx.clock());
    return true;
  });
  if (counted) ctx.notifier.kick();
  return counted;
}
