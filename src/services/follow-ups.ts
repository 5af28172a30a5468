// Late replies (issue 16): a reporter's or developer's reply in the thread of a bug closed longer ago than
// REOPEN_WITHIN used to vanish. Now the replier is answered once, privately, with "Open a follow-up", which files a
// new bug in the same channel (a new thread, prefilled with the reply, credited to the replier) linked to the old one
// (bug_reports.follow_up_of, shown on both cards). Pressing it twice, or on two replicas, files one follow-up: a lock
// per old bug makes the second press wait and find the first one's bug, and follow_up_of is unique.
import type { AppContext } from '../app-context.ts';
import { BugReport } from '../db/entities/index.ts';
import { LOCK_KEYS, withSessionAdvisoryLock } from '../db/locks.ts';
import { findConversation } from '../db/repositories/conversation.repository.ts';
import { findFollowUp, recordFollowUpOffer } from '../db/repositories/follow-up.repository.ts';
import { countsAsActivity } from '../domain/bug-activity.ts';
import { titleFromText } from '../domain/report-text.ts';
import type { SenderType } from '../domain/sender-type.ts';
import { tsToDate } from '../domain/slack-refs.ts';
import { buildReportPost } from '../messages/report-post.ts';
import { createBug } from './bug-intake.ts';
import { requestCardRefresh } from './notices.ts';

export type FollowUpOffer = { bugId: number; ref: string; channelId: string; threadTs: string; replyTs: string };

/** After a reply is stored: the offer to make to its author, once, when the bug was closed too long ago. */
export async function offerFollowUp(
  ctx: AppContext,
  reply: { bugId: number; userId: string; senderType: SenderType; replyTs: string; at: Date },
): Promise<FollowUpOffer | null> {
  if (!countsAsActivity(reply.senderType)) return null;
  const em = ctx.orm.em.fork();
  const bug = await em.findOne(BugReport, reply.bugId);
  if (!bug || bug.status !== 'closed' || !bug.closedAt) return null;
  if (reply.at.getTime() - bug.closedAt.getTime() <= ctx.config.reopenWithinMs) return null;
  if (
    !(await recordFollowUpOffer(em, { bugId: bug.id, userId: reply.userId, replyTs: reply.replyTs, at: ctx.clock() }))
  )
    return null;
  return { bugId: bug.id, ref: bug.ref, channelId: bug.channelId, threadTs: bug.threadTs, replyTs: reply.replyTs };
}

export type FollowUpOutcome =
  | { kind: 'filed'; followUp: BugReport; of: BugReport }
  | { kind: 'exists'; followUp: BugReport; of: BugReport }
  | { kind: 'not_found' };

/** "Open a follow-up" pressed: files the follow-up of `bugId` from the reply at `replyTs`, or finds the one filed. */
export async function openFollowUp(
  ctx: AppContext,
  press: { bugId: number; replyTs: string; userId: string },
): Promise<FollowUpOutcome> {
  return withSessionAdvisoryLock(ctx.orm, { namespace: LOCK_KEYS.followUp, name: String(press.bugId) }, async () => {
    const em = ctx.orm.em.fork();
    const old = await em.findOne(BugReport, press.bugId);
    if (!old) return { kind: 'not_found' };
    const earlier = await findFollowUp(em, old.id);
    if (earlier) return { kind: 'exists', followUp: earlier, of: old };
    const reply = await findConversation(em, old.channelId, press.replyTs);
    const words = reply?.text?.trim() || `A follow-up of ${old.ref}`;
    const report = {
      reporterId: press.userId,
      title: `Follow-up of ${old.ref}: ${titleFromText(words, old.title)}`,
      description: `${words}\n\nFollows ${old.ref} (${ctx.permalinkFor(old.channelId, old.threadTs)}).`,
      severity: old.severity,
      traceId: null,
      releaseSha: null,
    };
    const post = buildReportPost(report);
    const posted = await ctx.slack.chat.postMessage({
      channel: old.channelId,
      text: post.text,
      blocks: post.blocks,
      unfurl_links: false,
    });
    const result = await createBug(ctx, {
      channelId: old.channelId,
      threadTs: posted.ts!,
      title: report.title,
      description: report.description,
      severity: report.severity,
      reporterId: press.userId,
      createdAt: tsToDate(posted.ts!),
      telemetry: { traceId: old.traceId ?? null, requestId: old.requestId ?? null, releaseSha: null },
      source: 'follow_up',
      rootMessage: { senderId: press.userId, text: post.text },
      followUpOfId: old.id,
    });
    // The old bug's card names its follow-up.
    await ctx.orm.em.fork().transactional((tx) => requestCardRefresh(tx, old, ctx.clock()));
    ctx.notifier.kick();
    return { kind: 'filed', followUp: result.bug, of: old };
  });
}
