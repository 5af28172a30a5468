import type { EntityManager } from '@mikro-orm/postgresql';
import { BugReport } from '../entities/index.ts';

/** Reserves the next bug id so its human reference (BUG-42) can be written with the row. */
export async function reserveBugNumber(em: EntityManager): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `select nextval(pg_get_serial_sequence('bug_reports', 'id')) as id`,
  );
  return Number(rows[0]!.id);
}

export function bugRefFor(id: number): string {
  return `BUG-${id}`;
}

/** Accepts "BUG-42", "bug-42", "#42" or "42". */
export function parseBugRef(text: string): number | null {
  const match = /^(?:bug-|#)?(\d{1,9})$/i.exec(text.trim());
  return match ? Number(match[1]) : null;
}

export async function findBugByThread(em: EntityManager, channelId: string, threadTs: string): Promise<BugReport | null> {
  return em.findOne(BugReport, { channelId, threadTs });
}
