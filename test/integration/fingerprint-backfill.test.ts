// Bugs filed before grouping existed (marked by the migration, bug_reports.fingerprint_backfill_due): the start-up
// backfill gives them their fingerprints and indexes the telemetry ids their report and thread mention, in batches,
// each bug once even with two processes at it; an open one starts the duplicate group of its fingerprint, so a new
// report of the same crash is linked to it through the real intake.
import { beforeEach, describe, expect, it } from 'vitest';
import { BugReport, BugReportDedup } from '../../src/db/entities/index.ts';
import { fingerprintReport } from '../../src/domain/fingerprint.ts';
import { backfillFingerprints } from '../../src/services/fingerprint-backfill.ts';
import { findBugsByTelemetry } from '../../src/services/telemetry.ts';
import { useTestDatabase } from '../support/database.ts';
import { addConversation, createBug } from '../support/factories.ts';
import { sendEvent } from '../support/signed-requests.ts';
import { topLevelMessage } from '../support/slack-events.ts';
import { resetSweepWorld } from '../support/sweep-support.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { HOUR, slackTs } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);

beforeEach(async () => {
  await resetSweepWorld(db, t);
  await db.orm.em.fork().execute('truncate bug_report_dedup, bug_telemetry cascade');
});

function crash(fn: string, line: number): string {
  return [
    'Checkout crashed again',
    "TypeError: Cannot read properties of undefined (reading 'id')",
    `    at ${fn} (/app/src/orders/create-order.js:${line}:18)`,
    `    at async checkout (/app/src/routes/checkout.js:${line + 3}:5)`,
  ].join('\n');
}

/** A bug as it was stored before grouping existed: no fingerprint, no telemetry ids, marked by the migration. */
async function oldBug(fields: { title: string; description: string; status?: BugReport['status'] }) {
  const em = db.orm.em.fork();
  const bug = await createBug(em, {
    title: fields.title,
    status: fields.status ?? 'open',
    createdAt: new Date(t.clock.now().getTime() - 2 * HOUR),
  });
  await em.nativeUpdate(BugReport, { id: bug.id }, { description: fields.description, fingerprintBackfillDue: true });
  return bug;
}

const reload = (bug: BugReport) => db.orm.em.fork().findOneOrFail(BugReport, bug.id, { refresh: true });
const ctx = () => t.bugsweep.ctx;

describe('the fingerprint backfill', () => {
  it('fingerprints old bugs, indexes the ids in their reports and threads, and starts groups for open ones', async () => {
    const open = await oldBug({ title: 'Checkout crashed again', description: crash('createOrder', 42) });
    const done = await oldBug({
      title: 'Crash in invoices',
      description: crash('renderInvoice', 10),
      status: 'resolved',
    });
    const plain = await oldBug({
      title: 'The logo is blurry',
      description: 'trace_id: 4bf92f3577b34da6a3ce929d0e0e4736',
    });
    await addConversation(db.orm.em.fork(), plain, {
      senderType: 'developer',
      at: t.clock.now(),
      text: 'Seen again in release a1b2c3d4e5f6, request id req-7781-abc',
    });
    await addConversation(db.orm.em.fork(), plain, {
      senderType: 'bot',
      at: t.clock.now(),
      text: 'trace_id: ffff0000ffff',
    });
    const newer = await createBug(db.orm.em.fork(), { title: 'Filed after grouping existed' });

    const summary = await backfillFingerprints(ctx(), { batchSize: 2 });
    expect(summary).toMatchObject({ bugs: 3, fingerprinted: 2, groups: 1 });

    const expected = fingerprintReport({ title: 'Checkout crashed again', description: crash('createOrder', 42) });
    expect(await reload(open)).toMatchObject({ fingerprint: expected!.fingerprint, fingerprintBackfillDue: false });
    expect((await reload(done)).fingerprint).toMatch(/\S/);
    expect(await reload(plain)).toMatchObject({ fingerprint: null, fingerprintBackfillDue: false });
    expect((await reload(newer)).fingerprintBackfillDue).toBe(false);

    // Every id the report and the people in its thread mention finds it; a bot's message does not count.
    for (const id of ['4bf92f3577b34da6a3ce929d0e0e4736', 'a1b2c3d', 'req-7781-abc']) {
      const found = await findBugsByTelemetry(ctx(), id);
      expect(found.ok && found.bugs.map((b) => b.ref)).toEqual([plain.ref]);
    }
    const bot = await findBugsByTelemetry(ctx(), 'ffff0000ffff');
    expect(bot.ok && bot.bugs).toEqual([]);

    // Only the open one starts a group; a resolved bug's crash seen again gets a bug of its own.
    const groups = await db.orm.em.fork().find(BugReportDedup, {});
    expect(groups.map((g) => [g.fingerprint, g.canonicalBugId, g.occurrenceCount])).toEqual([
      [expected!.fingerprint, open.id, 1],
    ]);

    // Done once: a second start finds nothing to do.
    expect(await backfillFingerprints(ctx())).toEqual({ bugs: 0, fingerprinted: 0, telemetryIds: 0, groups: 0 });

    // A new report of the same crash (other line numbers) is linked to the old open bug through the intake.
    const ts = slackTs(t.clock.now());
    const res = await sendEvent(
      t.baseUrl,
      topLevelMessage({ user: TEST_USERS.bystander, ts, text: crash('createOrder', 97), channel: TEST_CHANNEL }),
    );
    expect(res.status).toBe(200);
    await t.settle();
    const reported = await db.orm.em.fork().findOneOrFail(BugReport, { channelId: TEST_CHANNEL, threadTs: ts });
    expect(reported).toMatchObject({ duplicateOfId: open.id, closeReason: 'duplicate' });
  });

  it('two processes at it at once do each bug once', async () => {
    const bugs = [];
    for (let i = 0; i < 9; i++)
      bugs.push(await oldBug({ title: `Crash ${i}`, description: crash(`handler${'q'.repeat(i + 1)}`, 10 + i) }));
    const [a, b] = await Promise.all([
      backfillFingerprints(ctx(), { batchSize: 2 }),
      backfillFingerprints(ctx(), { batchSize: 2 }),
    ]);
    expect(a.bugs + b.bugs).toBe(9);
    expect(a.groups + b.groups).toBe(9);
    expect(await db.orm.em.fork().count(BugReport, { fingerprintBackfillDue: true })).toBe(0);
    expect(await db.orm.em.fork().count(BugReport, { fingerprint: null })).toBe(0);
  });
});
