// Keyset pages of bugs in (column, id) order, oldest first: how the sweep's and the SLA's candidate scans read their
// partial indexes page by page.
import type { EntityManager, QBFilterQuery, QueryBuilder } from '@mikro-orm/postgresql';
import { BugReport } from '../entities/index.ts';

/** Where the previous page ended: its last bug's column value and id. */
export type Cursor = { at: Date; id: number } | null;

const KEYSET_PROPERTIES = {
  last_activity_at: 'lastActivityAt',
  claimant_last_activity_at: 'claimantLastActivityAt',
  turn_since: 'turnSince',
  sla_due_at: 'slaDueAt',
} as const;

export type KeysetColumn = keyof typeof KEYSET_PROPERTIES;

/** Every column of the bugs matching `where`, as a query builder (alias `b`) to refine or page. */
export function bugsWhere(em: EntityManager, where: QBFilterQuery<BugReport, 'b'>): QueryBuilder<BugReport, 'b'> {
  return em.createQueryBuilder(BugReport, 'b').select('*').where(where);
}

/**
 * One page in (column, id) order. The cursor is a row comparison, which PostgreSQL turns into the lower bound
 * of the index range scan (an OR of the two halves would make every page rescan from the start).
 */
export function keysetQuery(qb: QueryBuilder<BugReport, 'b'>, column: KeysetColumn, cursor: Cursor, limit: number) {
  if (cursor) qb.andWhere(`(b.${column}, b.id) > (?, ?)`, [cursor.at, cursor.id]);
  return qb.orderBy({ [KEYSET_PROPERTIES[column]]: 'asc', id: 'asc' }).limit(limit);
}

export function keysetPage(
  qb: QueryBuilder<BugReport, 'b'>,
  column: KeysetColumn,
  cursor: Cursor,
  limit: number,
): Promise<BugReport[]> {
  return keysetQuery(qb, column, cursor, limit).getResult();
}
