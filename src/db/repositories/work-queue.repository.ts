// The agents' work queue: the next bug an agent may work, locked so that agents pulling at once never get the
// same one (FOR UPDATE SKIP LOCKED), in the order of bug_reports_work_queue_idx.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { BugReport } from '../entities/index.ts';

const SEVERITY_RANK = sql`(case severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end)`;

const WAITING = (now: Date, maxAttempts: number) => sql`
  status = 'open' and claimant_id is null and not automation_opt_out
  and agent_attempts < ${maxAttempts} and (agent_retry_after is null or agent_retry_after <= ${now})`;

/** Locks and returns the most severe, then oldest, bug waiting for an agent; null when none is free. */
export async function lockNextWorkItem(em: EntityManager, now: Date, maxAttempts: number): Promise<BugReport | null> {
  const result = await sql<{ id: number }>`
    select id from bug_reports where ${WAITING(now, maxAttempts)}
    order by ${SEVERITY_RANK}, created_at, id
    limit 1 for update skip locked`.execute(em.getKysely());
  const row = result.rows[0];
  return row ? em.findOne(BugReport, { id: row.id }, { refresh: true }) : null;
}

/** How many bugs wait for an agent now. */
export async function countWorkQueue(em: EntityManager, now: Date, maxAttempts: number): Promise<number> {
  const result = await sql<{
    n: string;
  }>`select count(*) as n from bug_reports where ${WAITING(now, maxAttempts)}`.execute(em.getKysely());
  return Number(result.rows[0]?.n ?? 0);
}
