// Bugs found by their telemetry: `/bugs find <trace id | request id | sha prefix>`, and the API's list filters.
import type { AppContext } from '../app-context.ts';
import { BugReport } from '../db/entities/index.ts';
import { findBugIdsByTelemetry } from '../db/repositories/telemetry.repository.ts';
import { parseTelemetryQuery, type TelemetryQuery } from '../domain/report-text.ts';

export type TelemetryMatches =
  | { ok: true; query: TelemetryQuery; bugs: BugReport[]; total: number }
  | { ok: false; reason: 'not_an_id' };

/** The bugs that mention this trace id, request id or release SHA (a prefix of 7 or more matches the full SHA). */
export async function findBugsByTelemetry(ctx: AppContext, text: string, limit = 20): Promise<TelemetryMatches> {
  const query = parseTelemetryQuery(text);
  if (!query) return { ok: false, reason: 'not_an_id' };
  const em = ctx.orm.em.fork();
  const { ids, total } = await findBugIdsByTelemetry(em, query, limit);
  const found = ids.length > 0 ? await em.find(BugReport, { id: { $in: ids } }) : [];
  const order = new Map(ids.map((id, index) => [id, index]));
  found.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { ok: true, query, bugs: found, total };
}
