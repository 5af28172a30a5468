// bugsweep_bugs{status,severity} from the counts triggers record (migration bug_count_deltas), not a count over
// bug_reports: whatever way a bug is written (the ORM, a batch statement, a delete, a truncate), and however reads
// fold the recorded rows, meanwhile or at once in several replicas, the figures equal a count of the table itself.
import { describe, expect, it } from 'vitest';
import { BugReport } from '../../src/db/entities/index.ts';
import { foldBugCounts, readBugCounts } from '../../src/db/repositories/metrics.repository.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';

const db = useTestDatabase();

type Count = { status: string; severity: string; count: number };

/** What the gauge must show: a count of bug_reports itself. */
async function counted(): Promise<Count[]> {
  const rows = await db.orm.em
    .fork()
    .execute<{ status: string; severity: string; n: string }[]>(
      'select status, severity, count(*) as n from bug_reports group by status, severity order by status, severity',
    );
  return rows.map((row) => ({ status: row.status, severity: row.severity, count: Number(row.n) }));
}

const recorded = () => readBugCounts(db.orm.em.fork());
const deltaRows = async () =>
  Number((await db.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from bug_report_count_deltas'))[0]?.n);

describe('bugs by status and severity', () => {
  it('follow every way a bug is written, changed and removed', async () => {
    const em = db.orm.em.fork();
    const ids: number[] = [];
    for (let i = 0; i < 6; i += 1) ids.push((await createBug(em)).id);
    expect(await recorded()).toEqual([{ status: 'open', severity: 'medium', count: 6 }]);

    // Through the ORM: a status change, a severity change, both at once, and a change that changes nothing.
    const [a, b, c, d, e, f] = ids.map((id) => em.getReference(BugReport, id));
    if (!a || !b || !c || !d || !e || !f) throw new Error('six bugs expected');
    em.assign(a, { status: 'in_progress' });
    em.assign(b, { severity: 'critical' });
    em.assign(c, { status: 'closed', severity: 'low' });
    em.assign(d, { title: 'renamed only' });
    await em.flush();
    // A batch statement, then a delete.
    await em.execute(`update bug_reports set status = 'resolved' where id in (${e.id}, ${f.id})`);
    await em.execute(`delete from bug_reports where id = ${f.id}`);
    await em.execute(`
      insert into bug_reports (id, ref, title, status, severity, reporter_id, channel_id, thread_ts, created_at,
                               updated_at, last_activity_at)
      select 1000 + g, 'BUG-' || (1000 + g), 'batch ' || g, (array['open', 'escalated'])[1 + g % 2],
             'high', 'UREPORTER', 'CBATCH', '1700000000.' || lpad(g::text, 6, '0'), now(), now(), now()
      from generate_series(1, 5) g`);

    expect(await recorded()).toEqual(await counted());
    expect(await recorded()).toEqual(
      expect.arrayContaining([
        { status: 'closed', severity: 'low', count: 1 },
        { status: 'escalated', severity: 'high', count: 3 },
        { status: 'open', severity: 'high', count: 2 },
        { status: 'open', severity: 'critical', count: 1 },
        { status: 'resolved', severity: 'medium', count: 1 },
      ]),
    );
    // A pair every bug has left is not shown (a count of the table has no row for it either).
    expect((await recorded()).map((row) => `${row.status}/${row.severity}`)).not.toContain('resolved/critical');
  });

  it('keep their sums when folded, also while bugs are written and other replicas fold at once', async () => {
    const em = db.orm.em.fork();
    // Rows of its own to fold, whatever ran before: three bugs filed in turn, one of them closed and reopened.
    const seeded: number[] = [];
    for (let i = 0; i < 3; i += 1) seeded.push((await createBug(em)).id);
    await em.execute(`update bug_reports set status = 'closed' where id = ${seeded[0]}`);
    await em.execute(`update bug_reports set status = 'open' where id = ${seeded[0]}`);
    expect(await deltaRows()).toBeGreaterThan((await counted()).length);
    const writes = Array.from({ length: 20 }, (_, i) =>
      db.orm.em
        .fork()
        .execute(`update bug_reports set status = case when status = 'open' then 'in_progress' else 'open' end
                  where id = (select id from bug_reports order by id limit 1 offset ${i % 8})`),
    );
    await Promise.all([...writes, foldBugCounts(db.orm.em.fork()), foldBugCounts(db.orm.em.fork()), foldBugCounts(em)]);
    await foldBugCounts(em);
    expect(await recorded()).toEqual(await counted());
    // Folded: one row per pair, none for a pair with no bugs.
    expect(await deltaRows()).toBe((await counted()).length);
  });

  it('are folded by a read once many changes are recorded', async () => {
    const em = db.orm.em.fork();
    for (let i = 0; i < 600; i += 1) {
      await em.execute(`update bug_reports set severity = case when severity = 'high' then 'low' else 'high' end
                        where id = (select min(id) from bug_reports)`);
    }
    expect(await deltaRows()).toBeGreaterThan(1_000);
    const read = await recorded();
    expect(await deltaRows()).toBeLessThan(20);
    expect(read).toEqual(await counted());
  });

  it('are emptied when bug_reports is truncated', async () => {
    await db.orm.em.fork().execute('truncate bug_reports cascade');
    expect(await recorded()).toEqual([]);
    await createBug(db.orm.em.fork());
    expect(await recorded()).toEqual([{ status: 'open', severity: 'medium', count: 1 }]);
  });
});
