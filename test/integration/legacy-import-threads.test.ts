// npm run import -- … --channel C…: each open imported bug is posted to that bug channel as a new thread with its
// card, through the real outbox (the notifier at Slack's one-post-a-second channel pace, on the test clock) and the
// loopback fake of the Web API. The import queues, never calls Slack; a re-run posts nothing twice; a bug imported
// without a channel is posted by a re-run with one; a dry run queues nothing; a channel outside BUG_CHANNELS is
// refused; and a reply in the new thread is stored as activity on the imported bug.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BugConversation, BugEvent, BugReport, SlackNotice } from '../../src/db/entities/index.ts';
import { tsToDate } from '../../src/domain/slack-refs.ts';
import { ImportChannelError, importLegacyReports } from '../../src/services/legacy-import/import-legacy.ts';
import { runSweep } from '../../src/services/sweep/sweep-runner.ts';
import { useTestDatabase } from '../support/database.ts';
import type { RecordedCall } from '../support/fake-slack-api.ts';
import { sendEvent } from '../support/signed-requests.ts';
import { threadReply } from '../support/slack-events.ts';
import { resetSweepWorld } from '../support/sweep-support.ts';
import { TEST_CHANNEL, useTestApp } from '../support/test-app.ts';

const db = useTestDatabase();
// Slack's real channel pace: one post a second per channel, on the test clock.
const t = useTestApp(db, {}, { notifier: { channelIntervalMs: 1_000 } });
const dir = mkdtempSync(path.join(os.tmpdir(), 'bugsweep-import-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => resetSweepWorld(db, t));

const RECORDS = [
  {
    id: 'T-1',
    title: 'Checkout total is wrong',
    description: 'The total ignores the voucher',
    reporter: 'U0111',
    created: '2024-01-02',
  },
  {
    id: 'T-2',
    title: 'Search times out',
    status: 'in progress',
    assignee: 'U0222',
    reporter: 'bob@example.com',
    created: '2024-02-03',
  },
  { id: 'T-3', title: 'Old typo', status: 'fixed', created: '2023-03-04' },
  { id: 'T-4', title: 'Will not do', status: 'wontfix', created: '2023-04-05' },
  { id: 'T-5', title: 'Exports stall on Mondays', status: 'blocked', created: '2024-05-06' },
];
const OPEN = ['T-1', 'T-2', 'T-5'];

function file(name: string, records: unknown[]): string {
  const full = path.join(dir, name);
  writeFileSync(full, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return full;
}

const ctx = () => t.bugsweep.ctx;
const byLegacyId = async (legacyId: string) =>
  db.orm.em.fork().findOneOrFail(BugReport, { legacyId }, { refresh: true });
const posts = () => t.slackApi.callsTo('chat.postMessage');

/** Each post with the test clock's time when Slack got it. */
function recordPostTimes(): { call: RecordedCall; at: number }[] {
  const times: { call: RecordedCall; at: number }[] = [];
  t.slackApi.on('chat.postMessage', (call) => {
    times.push({ call, at: t.clock.now().getTime() });
    return undefined;
  });
  return times;
}

/** Sends the outbox a second at a time (the test clock), until nothing is left to send. */
async function sendAll(maxSeconds = 30): Promise<void> {
  for (let i = 0; i < maxSeconds; i += 1) {
    await t.settle();
    const unsent = await db.orm.em.fork().count(SlackNotice, { status: { $in: ['pending', 'sending'] } });
    if (unsent === 0) return;
    t.clock.advance(1_000);
  }
  throw new Error('the outbox did not empty');
}

describe('npm run import -- --channel', () => {
  it('queues a root message per open bug; the outbox posts each as a new thread, its card in it, one post a second', async () => {
    const input = file('reports.jsonl', RECORDS);
    const summary = await importLegacyReports(ctx(), { input, channel: TEST_CHANNEL });
    expect(summary).toMatchObject({ read: 5, imported: 5, channel: TEST_CHANNEL, threadsQueued: 3 });
    // Queued, not posted: the import never calls Slack itself.
    const queued = await db.orm.em.fork().find(SlackNotice, { purpose: 'thread_root' }, { orderBy: { id: 'asc' } });
    expect(queued.map((n) => [n.channelId, n.threadTs, n.status, n.priority])).toEqual(
      OPEN.map(() => [TEST_CHANNEL, null, 'pending', 1]),
    );
    for (const legacyId of ['T-3', 'T-4']) expect((await byLegacyId(legacyId)).channelId).toBe('');

    const times = recordPostTimes();
    await sendAll();

    const bugs = await Promise.all(OPEN.map(byLegacyId));
    // Each root, then its card in the thread it started, before the next root: paced at one post a second.
    expect(times.map(({ call }) => call.body.thread_ts ?? null)).toEqual(bugs.flatMap((bug) => [null, bug.threadTs]));
    expect(times.map(({ call }) => String(call.body.text).split(':')[0])).toEqual(
      bugs.flatMap((bug) => [expect.stringContaining('Imported bug report from'), bug.ref]),
    );
    for (let i = 1; i < times.length; i += 1) expect(times[i]!.at - times[i - 1]!.at).toBeGreaterThanOrEqual(1_000);

    const roots = posts().filter((call) => !call.body.thread_ts);
    for (const [i, bug] of bugs.entries()) {
      expect(bug.channelId).toBe(TEST_CHANNEL);
      expect(bug.threadTs).toMatch(/^\d+\.\d+$/);
      expect(bug.cardTs).toBeTruthy();
      const root = JSON.stringify(roots[i]!.body.blocks);
      expect(root).toContain(bug.ref);
      expect(root).toContain(`Imported from the old bug tracker (id \`${bug.legacyId}\`)`);
      expect(root).toContain(bug.title);
    }
    expect(JSON.stringify(roots[0]!.body.blocks)).toContain('Reported by <@U0111>');
    expect(JSON.stringify(roots[0]!.body.blocks)).toContain('The total ignores the voucher');
    expect(JSON.stringify(roots[1]!.body.blocks)).toContain('Reported by bob@example.com (old system)');
    const events = await db.orm.em
      .fork()
      .find(BugEvent, { eventType: 'bug.thread_started' }, { orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.bugId, e.metadata])).toEqual(
      bugs.map((bug) => [bug.id, { channelId: TEST_CHANNEL, threadTs: bug.threadTs }]),
    );

    // Again, with the same channel: everything is there and posted already; nothing is queued or posted twice.
    t.slackApi.reset();
    const again = await importLegacyReports(ctx(), { input, channel: TEST_CHANNEL });
    expect(again).toMatchObject({ imported: 0, alreadyPresent: 5, threadsQueued: 0 });
    await sendAll();
    expect(posts()).toHaveLength(0);
    expect(await db.orm.em.fork().count(SlackNotice, { purpose: 'thread_root' })).toBe(3);
  });

  it('a reply in the new thread is stored as activity on the imported bug, and the sweep warns before closing', async () => {
    await importLegacyReports(ctx(), { input: file('one.jsonl', [RECORDS[0]]), channel: TEST_CHANNEL });
    await sendAll();
    const bug = await byLegacyId('T-1');
    const before = bug.lastActivityAt;
    expect(before).toEqual(new Date('2024-01-02T00:00:00Z'));

    // The fake's ts values are its own; the reply comes a minute after the thread started.
    const replyAt = new Date(tsToDate(bug.threadTs).getTime() + 60_000);
    t.clock.set(replyAt);
    const replyTs = `${Math.floor(replyAt.getTime() / 1000)}.000100`;
    const res = await sendEvent(
      t.baseUrl,
      threadReply({ user: 'U0111', ts: replyTs, threadTs: bug.threadTs, text: 'Still happens with two vouchers' }),
    );
    expect(res.status).toBe(200);
    await t.settle();
    const after = await byLegacyId('T-1');
    expect(after.lastActivityAt).toEqual(replyAt);
    const stored = await db.orm.em.fork().find(BugConversation, { bugId: bug.id });
    expect(stored.map((c) => [c.slackTs, c.senderId, c.senderType])).toEqual([[replyTs, 'U0111', 'reporter']]);

    // An imported bug idle for years, now in Slack: the sweep warns it first, with the usual stated time.
    const idle = { id: 'T-6', title: 'Avatars upload sideways', created: '2023-06-07' };
    await importLegacyReports(ctx(), { input: file('idle.jsonl', [idle]), channel: TEST_CHANNEL });
    await sendAll();
    const run = await runSweep(ctx(), { trigger: 'cli' });
    expect(run).toMatchObject({ kind: 'ran', counts: { warned: 1, closed: 0 } });
    expect((await byLegacyId('T-6')).warnedAt).toBeTruthy();
    expect((await byLegacyId('T-1')).warnedAt).toBeNull();
  });

  it('a bug imported earlier without a channel is posted by a re-run with one; a dry run queues nothing', async () => {
    const input = file('later.jsonl', RECORDS);
    await importLegacyReports(ctx(), { input });
    expect(await db.orm.em.fork().count(SlackNotice, {})).toBe(0);

    const dry = await importLegacyReports(ctx(), { input, channel: TEST_CHANNEL, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, alreadyPresent: 5, threadsQueued: 0 });
    expect(await db.orm.em.fork().count(SlackNotice, {})).toBe(0);

    const rerun = await importLegacyReports(ctx(), { input, channel: TEST_CHANNEL });
    expect(rerun).toMatchObject({ imported: 0, alreadyPresent: 5, threadsQueued: 3 });
    // Run twice before the bot sent anything: the roots already queued are not queued again.
    expect(await importLegacyReports(ctx(), { input, channel: TEST_CHANNEL })).toMatchObject({ threadsQueued: 0 });
    await sendAll();
    expect(posts().filter((call) => !call.body.thread_ts)).toHaveLength(3);
    for (const legacyId of OPEN) expect((await byLegacyId(legacyId)).channelId).toBe(TEST_CHANNEL);
  });

  it('a root message is not posted for a bug resolved before the bot got to it', async () => {
    await importLegacyReports(ctx(), { input: file('resolved.jsonl', [RECORDS[0]]), channel: TEST_CHANNEL });
    await db.orm.em
      .fork()
      .nativeUpdate(BugReport, { legacyId: 'T-1' }, { status: 'resolved', resolvedAt: t.clock.now() });
    await sendAll();
    expect(posts()).toHaveLength(0);
    expect(await db.orm.em.fork().findOneOrFail(SlackNotice, { purpose: 'thread_root' })).toMatchObject({
      status: 'cancelled',
      lastError: 'the bug is resolved',
    });
  });

  it('refuses a channel that is not one of BUG_CHANNELS, naming them, and writes nothing', async () => {
    const input = file('elsewhere.jsonl', RECORDS);
    await expect(importLegacyReports(ctx(), { input, channel: 'COTHER99' })).rejects.toThrow(ImportChannelError);
    await expect(importLegacyReports(ctx(), { input, channel: 'COTHER99' })).rejects.toThrow(
      `COTHER99 is not one of BUG_CHANNELS (${TEST_CHANNEL})`,
    );
    expect(await db.orm.em.fork().count(BugReport, {})).toBe(0);
  });
});
