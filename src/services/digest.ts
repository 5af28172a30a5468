// The digest (DIGEST_SCHEDULE, DIGEST_CHANNEL; issue 16): at each scheduled slot, one message in DIGEST_CHANNEL
// listing what waits on developers. Every replica's timer fires; PostgreSQL decides which one sends it: the slot's
// digest_runs row is inserted in the same transaction that queues the message, so each slot's digest is sent once.
// An empty digest is recorded and not sent.
import type { AppContext } from '../app-context.ts';
import { claimDigestSlot, findWaitingOnDevelopers, setDigestNotice } from '../db/repositories/digest.repository.ts';
import { findSlaBreached } from '../db/repositories/sla.repository.ts';
import { appHomeLink } from '../domain/slack-refs.ts';
import { buildDigest, DIGEST_LIST_MAX, type DigestBug } from '../messages/digest.ts';
import { enqueueInChannel } from './notices.ts';
import { listOrphanedClaims } from './sweep/orphaned-claims.ts';
import { previewSweep } from './sweep/sweep-control.ts';

export type DigestResult =
  | { kind: 'sent'; slotKey: string; items: number }
  | { kind: 'empty'; slotKey: string }
  /** Another replica (or an earlier call) had this slot. */
  | { kind: 'slot_taken' }
  | { kind: 'off' };

export async function sendDigest(ctx: AppContext, slot: Date): Promise<DigestResult> {
  const digest = ctx.config.digest;
  if (!digest) return { kind: 'off' };
  const now = ctx.clock();
  const slotKey = `digest:${slot.toISOString()}`;
  const bugLink = (bug: { id: number; ref: string; title: string; channelId: string; threadTs: string }) => ({
    id: bug.id,
    ref: bug.ref,
    title: bug.title,
    permalink: ctx.permalinkFor(bug.channelId, bug.threadTs),
  });

  // Reads first, outside the transaction; the slot decides who sends.
  const waiting = await findWaitingOnDevelopers(ctx.orm.em.fork(), DIGEST_LIST_MAX);
  const breached = await findSlaBreached(ctx.orm.em.fork(), now, DIGEST_LIST_MAX, { withThread: true });
  const preview = await previewSweep(ctx);
  const orphaned = await listOrphanedClaims(ctx);
  const entry = (bug: Parameters<typeof bugLink>[0] & { claimantId?: string | null }): DigestBug => ({
    ...bugLink(bug),
    claimantId: bug.claimantId ?? null,
  });
  const message = buildDigest({
    now,
    timeZone: ctx.config.sweep.timezone,
    waiting: { items: waiting.bugs.map((bug) => ({ ...entry(bug), since: bug.turnSince })), total: waiting.total },
    breached: {
      items: breached.bugs.map((bug) => ({ ...entry(bug), dueAt: bug.slaDueAt ?? now })),
      total: breached.total,
    },
    toWarn: {
      items: preview.warn.map((item) => ({ ...entry(item.bug), closesAt: item.when })),
      total: preview.warn.length,
    },
    toClose: { items: preview.close.map((item) => entry(item.bug)), total: preview.close.length },
    orphaned: {
      items: orphaned.map((claim) => ({
        id: claim.bugId,
        ref: claim.ref,
        title: claim.title,
        permalink: null,
        claimantId: claim.claimantId,
        quietMs: claim.idleMs,
      })),
      total: orphaned.length,
    },
    appHome: appHomeOf(ctx.identity),
  });
  const items = waiting.total + breached.total + preview.warn.length + preview.close.length + orphaned.length;

  const result = await ctx.orm.em.fork().transactional(async (em): Promise<DigestResult> => {
    const status = message ? 'sent' : 'empty';
    if (!(await claimDigestSlot(em, { slotKey, channelId: digest.channelId, status, items, at: now }))) {
      return { kind: 'slot_taken' };
    }
    if (!message) return { kind: 'empty', slotKey };
    const notice = await enqueueInChannel(em, digest.channelId, message, now, { priority: 'bulk' });
    await setDigestNotice(em, slotKey, notice.id);
    return { kind: 'sent', slotKey, items };
  });
  if (result.kind === 'sent') ctx.notifier.kick();
  ctx.logger.child({ component: 'digest' }).info({ slot: slotKey, result: result.kind, items }, 'digest slot');
  return result;
}

/** The link "and N more" points at: the bot's App Home tab when auth.test named the app, else a mention of the bot. */
function appHomeOf(identity: AppContext['identity']): string {
  return identity.appId && identity.teamId
    ? `<${appHomeLink(identity.teamId, identity.appId)}|App Home>`
    : `App Home of <@${identity.botUserId}>`;
}
