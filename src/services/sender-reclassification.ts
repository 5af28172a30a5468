// Replies stored while the developer user group could not be fetched were classified without it: a developer
// may have been stored as `other`. Those rows are flagged (metadata.developersUnknown); once the group loads,
// the developers among them become `developer` rows and their bugs' activity times are recomputed, so the
// sweep never closes a bug a developer actually answered.
import type { AppContext } from '../app-context.ts';
import { recomputeActivity } from '../db/repositories/bug-activity.repository.ts';
import { lockBug } from '../db/repositories/bug-report.repository.ts';

export const DEVELOPERS_UNKNOWN = 'developersUnknown';

export async function reclassifyUnknownSenders(ctx: AppContext, developers: ReadonlySet<string>): Promise<number> {
  const em = ctx.orm.em.fork();
  const changed = await em.execute<{ bug_id: number }[]>(
    `update bug_conversations set sender_type = 'developer', metadata = metadata - '${DEVELOPERS_UNKNOWN}'
     where metadata @> '{"${DEVELOPERS_UNKNOWN}": true}' and sender_type = 'other' and sender_id = any(?::text[])
     returning bug_id`,
    [`{${[...developers].join(',')}}`],
  );
  await em.execute(
    `update bug_conversations set metadata = metadata - '${DEVELOPERS_UNKNOWN}' where metadata @> '{"${DEVELOPERS_UNKNOWN}": true}'`,
  );
  const bugIds = [...new Set(changed.map((row) => Number(row.bug_id)))];
  for (const bugId of bugIds) {
    await ctx.orm.em.fork().transactional(async (tx) => {
      if (await lockBug(tx, bugId)) await recomputeActivity(tx, bugId);
    });
  }
  if (bugIds.length > 0)
    ctx.logger.info(
      { rows: changed.length, bugIds },
      'developer replies stored while the user group was unavailable are now counted',
    );
  return changed.length;
}
