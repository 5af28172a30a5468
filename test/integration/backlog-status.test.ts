// npm run status's data on PostgreSQL: counts by status and severity, the oldest open bugs, orphaned claims, what
// the next sweep will warn and close, the last runs, the outbox and the largest duplicate groups, as of the clock.
import { beforeEach, describe, expect, it } from 'vitest';
import { BugReport, BugReportDedup, SlackNotice } from '../../src/db/entities/index.ts';
import { backlogStatus } from '../../src/services/backlog-status.ts';
import { runSweep } from '../../src/services/sweep/sweep-runner.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { resetSweepWorld } from '../support/sweep-support.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { DAY, HOUR, MINUTE, START } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);
const ago = (ms: number) => new Date(START.getTime() - ms);

beforeEach(() => resetSweepWorld(db, t));

async function notice(status: SlackNotice['status'], createdAt: Date, bugId: number | null = null) {
  const em = db.orm.em.fork();
  const row = em.create(SlackNotice, {
    bugId,
    purpose: 'warning',
    channelId: TEST_CHANNEL,
    threadTs: '1700000000.000001',
    payload: { text: 'x' },
    status,
    attempts: status === 'pending' ? 0 : 1,
    nextAttemptAt: createdAt,
    createdAt,
    sentAt: status === 'sent' ? createdAt : null,
  });
  await em.flush();
  return row;
}

describe('backlogStatus', () => {
  it('gives the one glance an operator needs', async () => {
    const em = db.orm.em.fork();
    const quiet = await createBug(em, { title: 'Quiet', createdAt: ago(10 * DAY), lastActivityAt: ago(4.5 * DAY) });
    const claimed = await createBug(em, {
      title: 'Claimed and forgotten',
      status: 'in_progress',
      claimantId: TEST_USERS.developer,
      claimedAt: ago(9 * DAY),
      claimantLastActivityAt: ago(8 * DAY),
      createdAt: ago(9 * DAY),
      lastActivityAt: ago(HOUR),
    });
    await createBug(em, { title: 'Done', status: 'resolved', createdAt: ago(20 * DAY) });
    const closing = await createBug(em, {
      title: 'Warned long ago',
      createdAt: ago(8 * DAY),
      lastActivityAt: ago(7 * DAY),
    });
    const warning = await notice('sent', ago(2 * DAY), closing.id);
    await em.nativeUpdate(
      BugReport,
      { id: closing.id },
      { warnedAt: ago(2 * DAY), warningNoticeId: warning.id, autoCloseAt: ago(DAY) },
    );
    const canonical = await createBug(em, {
      title: 'Crash on save',
      createdAt: ago(3 * DAY),
      lastActivityAt: ago(HOUR),
    });
    for (const days of [2, 1]) {
      const dup = await createBug(em, { status: 'closed', createdAt: ago(days * DAY) });
      await em.nativeUpdate(BugReport, { id: dup.id }, { duplicateOfId: canonical.id, closeReason: 'duplicate' });
    }
    em.create(BugReportDedup, {
      fingerprint: 'v1:save',
      canonicalBugId: canonical.id,
      occurrenceCount: 3,
      firstSeenAt: ago(3 * DAY),
      lastSeenAt: ago(DAY),
    });
    // A group seen once is no duplicate group.
    em.create(BugReportDedup, {
      fingerprint: 'v1:quiet',
      canonicalBugId: quiet.id,
      occurrenceCount: 1,
      firstSeenAt: ago(10 * DAY),
      lastSeenAt: ago(10 * DAY),
    });
    await em.flush();
    const imported = await createBug(em, {
      title: 'From the old tracker',
      channelId: '',
      threadTs: 'legacy:OLD-1',
      createdAt: new Date('2021-06-01T00:00:00Z'),
    });
    await em.nativeUpdate(BugReport, { id: imported.id }, { legacyId: 'OLD-1', severity: 'critical' });
    await notice('pending', ago(30 * MINUTE));
    await notice('pending', ago(5 * MINUTE));
    await notice('failed', ago(DAY));
    await runSweep(t.bugsweep.ctx, { trigger: 'cli', dryRun: true });

    const status = await backlogStatus(t.bugsweep.ctx);
    expect(status.generatedAt).toBe(START.toISOString());
    expect(status.counts.total).toBe(8);
    expect(status.counts.byStatus).toMatchObject({ open: 4, in_progress: 1, resolved: 1, closed: 2, escalated: 0 });
    expect(status.counts.bySeverity).toEqual({ low: 0, medium: 7, high: 0, critical: 1 });
    expect(status.counts.by.open).toEqual({ low: 0, medium: 3, high: 0, critical: 1 });

    expect(status.oldestOpen.map((b) => [b.ref, b.inSlack, b.legacyId])).toEqual([
      [imported.ref, false, 'OLD-1'],
      [quiet.ref, true, null],
      [claimed.ref, true, null],
      [closing.ref, true, null],
      [canonical.ref, true, null],
    ]);
    expect(status.oldestOpen[1]!.ageMs).toBe(10 * DAY);

    expect(status.orphanedClaims).toEqual([
      { ref: claimed.ref, title: 'Claimed and forgotten', claimantId: TEST_USERS.developer, idleMs: 8 * DAY },
    ]);
    expect(status.nextSweep.paused).toBe(false);
    expect(status.nextSweep.warn.map((b) => b.ref)).toEqual([quiet.ref]);
    expect(status.nextSweep.warn[0]!.closesAt).toBeTruthy();
    expect(status.nextSweep.close.map((b) => b.ref)).toEqual([closing.ref]);

    expect(status.sweepRuns).toHaveLength(1);
    expect(status.sweepRuns[0]).toMatchObject({
      trigger: 'cli',
      status: 'completed',
      dryRun: true,
      warned: 1,
      closed: 1,
    });

    expect(status.outbox).toEqual({
      pending: 2,
      failed: 1,
      oldestPendingAt: ago(30 * MINUTE).toISOString(),
      oldestPendingAgeMs: 30 * MINUTE,
    });
    expect(status.duplicateGroups).toEqual([
      {
        ref: canonical.ref,
        title: 'Crash on save',
        status: 'open',
        occurrences: 3,
        lastSeenAt: ago(DAY).toISOString(),
      },
    ]);
  });

  it('--sort due orders the open bugs by SLA due time, soonest first, those without one last', async () => {
    const em = db.orm.em.fork();
    const none = await createBug(em, { title: 'No SLA', createdAt: ago(9 * DAY) });
    const later = await createBug(em, { title: 'Due tomorrow', createdAt: ago(8 * DAY) });
    const overdue = await createBug(em, { title: 'Overdue', createdAt: ago(HOUR) });
    const soon = await createBug(em, { title: 'Due in an hour', createdAt: ago(2 * DAY) });
    await createBug(em, { title: 'Resolved', status: 'resolved', createdAt: ago(3 * DAY) });
    await em.nativeUpdate(BugReport, { id: later.id }, { slaDueAt: new Date(START.getTime() + DAY) });
    await em.nativeUpdate(BugReport, { id: overdue.id }, { slaDueAt: ago(2 * HOUR) });
    await em.nativeUpdate(BugReport, { id: soon.id }, { slaDueAt: new Date(START.getTime() + HOUR) });

    const byDue = await backlogStatus(t.bugsweep.ctx, { sort: 'due' });
    expect(byDue.oldestOpenSort).toBe('due');
    expect(byDue.oldestOpen.map((b) => [b.ref, b.slaDueAt])).toEqual([
      [overdue.ref, ago(2 * HOUR).toISOString()],
      [soon.ref, new Date(START.getTime() + HOUR).toISOString()],
      [later.ref, new Date(START.getTime() + DAY).toISOString()],
      [none.ref, null],
    ]);
    const byAge = await backlogStatus(t.bugsweep.ctx);
    expect(byAge.oldestOpenSort).toBe('created');
    expect(byAge.oldestOpen.map((b) => b.ref)).toEqual([none.ref, later.ref, soon.ref, overdue.ref]);
  });

  it('an empty backlog is all zeroes and empty lists', async () => {
    const status = await backlogStatus(t.bugsweep.ctx);
    expect(status.counts.total).toBe(0);
    expect(status.oldestOpen).toEqual([]);
    expect(status.sweepRuns).toEqual([]);
    expect(status.outbox).toEqual({ pending: 0, failed: 0, oldestPendingAt: null, oldestPendingAgeMs: null });
  });
});
