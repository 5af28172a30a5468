// Replies stored while the developer user group could not be fetched were classified without it: a developer
// may have been stored as `other`. Those rows are flagged (DEVELOPERS_UNKNOWN); once the group loads, the
// developers among them become `developer` rows and their bug's activity times are recomputed, in one
// transaction per bug, so a crash in between cannot leave a developer's answer uncounted and the sweep never
// closes a bug a developer actually answered.
import type { AppContext } from '../app-context.ts';
import { lockBug } from '../db/repositories/bug-report.repository.ts';
import { findBugsWithUnknownSenders, reclassifyFlaggedReplies } from '../db/repositories/conversation.repository.ts';
import { recomputeBugActivity } from './bug-activity.ts';

export async function reclassifyUnknownSenders(ctx: AppContext, developers: ReadonlySet<string>): Promise<number> {
  const ids = [...developers];
  let rows = 0;
  const bugIds: number[] = [];
  let queued = false;
  for (const bugId of await findBugsWithUnknownSenders(ctx.orm.em.fork())) {
    const changed = await ctx.orm.em.fork().transactional(async (tx) => {
      const bug = await lockBug(tx, bugId);
      if (!bug) return 0;
      const count = await reclassifyFlaggedReplies(tx, bugId, ids);
      if (count > 0 && (await recomputeBugActivity(tx, ctx, bug))) queued = true;
      return count;
    });
    rows += changed;
    if (changed > 0) bugIds.push(bugId);
  }
  if (queued) ctx.notifier.kick();
  if (bugIds.length > 0)
    ctx.logger.info({ rows, bugIds }, 'developer replies stored while the user group was unavailable are now counted');
  return rows;
}
