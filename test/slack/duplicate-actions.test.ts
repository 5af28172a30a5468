// Duplicates in Slack: the "Not a duplicate" button, `/bugs merge` and `/bugs split`, the cards of a group, and a
// duplicate's reporter replying in its own thread, all through signed requests into the running app.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BugEvent, BugReport, BugReportDedup, SlackNotice } from '../../src/db/entities/index.ts';
import { ACTIONS } from '../../src/messages/ids.ts';
import { importLegacyReports } from '../../src/services/legacy-import/import-legacy.ts';
import { useTestDatabase } from '../support/database.ts';
import { buttonPress } from '../support/interaction-payloads.ts';
import { sendEvent, sendInteraction, sendSlashCommand } from '../support/signed-requests.ts';
import { threadReply, topLevelMessage } from '../support/slack-events.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { HOUR, slackTs } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);
const { reporter, developer, admin, bystander } = TEST_USERS;

let seq = 0;
function crashText(fn: string, line: number) {
  return [
    'Export fails',
    `RangeError: Invalid time value`,
    `    at ${fn} (/app/src/export/format-row.js:${line}:9)`,
    `    at exportCsv (/app/src/export/export-csv.js:${line + 10}:3)`,
  ].join('\n');
}

async function report(text: string, user: string = reporter) {
  const ts = slackTs(t.clock.now());
  expect((await sendEvent(t.baseUrl, topLevelMessage({ user, ts, text }))).status).toBe(200);
  await t.settle();
  return db.orm.em.fork().findOneOrFail(BugReport, { channelId: TEST_CHANNEL, threadTs: ts });
}

/** A canonical bug and `count` duplicates of it, each reported by the next of `users`. */
async function group(count: number, users: string[] = [bystander, developer, admin]) {
  seq += 1;
  const fn = `formatRow${'z'.repeat(seq)}`;
  const canonical = await report(crashText(fn, 10));
  const duplicates: BugReport[] = [];
  for (let i = 0; i < count; i++) {
    t.clock.advance(HOUR);
    duplicates.push(await report(crashText(fn, 20 + i), users[i % users.length]!));
  }
  return { canonical, duplicates };
}

const reload = (bug: BugReport) => db.orm.em.fork().findOneOrFail(BugReport, bug.id, { refresh: true });
const eventsOf = async (bug: BugReport) =>
  (await db.orm.em.fork().find(BugEvent, { bugId: bug.id }, { orderBy: { id: 'asc' } })).map((e) => e.eventType);
const whispers = () => t.slackApi.callsTo('chat.postEphemeral').map((call) => String(call.body.text));
const threadTexts = (bug: BugReport) =>
  t.slackApi
    .callsTo('chat.postMessage')
    .filter((call) => call.body.thread_ts === bug.threadTs)
    .map((call) => String(call.body.text));
/** The latest card of a bug, as posted or updated. */
function lastCard(bug: BugReport): string {
  const cards = [...t.slackApi.callsTo('chat.postMessage'), ...t.slackApi.callsTo('chat.update')]
    .filter((call) => String(call.body.text).startsWith(`${bug.ref}:`))
    .sort((a, b) => a.at - b.at);
  return JSON.stringify(cards.at(-1)?.body.blocks ?? null);
}

async function pressNotDuplicate(userId: string, bug: BugReport) {
  const res = await sendInteraction(
    t.baseUrl,
    buttonPress({
      userId,
      actionId: ACTIONS.notDuplicate,
      value: String(bug.id),
      channelId: bug.channelId,
      messageTs: bug.threadTs,
      threadTs: bug.threadTs,
    }),
  );
  expect(res.status).toBe(200);
  await t.settle();
}

/** The ts the duplicate's "Looks like" notice was posted at (it carries the Not a duplicate button). */
async function linkedNoticeTs(bug: BugReport): Promise<string> {
  const noticeId = (await reload(bug)).duplicateNoticeId;
  expect(noticeId).toBeTruthy();
  const notice = await db.orm.em.fork().findOneOrFail(SlackNotice, noticeId!);
  expect(notice.status).toBe('sent');
  expect(JSON.stringify(notice.payload.blocks)).toContain(ACTIONS.notDuplicate);
  return notice.resultTs!;
}

/** The edits of the message posted at `ts`. */
const editsOf = (ts: string) => t.slackApi.callsTo('chat.update').filter((call) => call.body.ts === ts);

async function command(userId: string, text: string): Promise<string> {
  const res = await sendSlashCommand(t.baseUrl, { userId, text });
  expect(res.status).toBe(200);
  await t.settle();
  return String((res.json() as { text?: string }).text);
}

describe('the cards of a duplicate group', () => {
  it('the canonical card shows how often it was reported and who is affected; a duplicate card names its bug', async () => {
    const { canonical, duplicates } = await group(3);
    const card = lastCard(canonical);
    expect(card).toContain('*Reported*\\n4 times');
    expect(card).toContain('*Reporters affected*\\n4');
    expect(card).toContain(`Affected: <@${reporter}>, <@${bystander}>, <@${developer}>, <@${admin}>`);
    const duplicateCard = lastCard(duplicates[0]!);
    expect(duplicateCard).toContain(`as a duplicate of *${canonical.ref}*`);
    expect(duplicateCard).toContain(ACTIONS.notDuplicate);
    expect(duplicateCard).not.toContain(ACTIONS.reopen);
  });
});

describe('Not a duplicate', () => {
  it('from someone who is not the reporter, a developer or an admin, is refused privately and changes nothing', async () => {
    const { duplicates } = await group(1, [developer]);
    t.slackApi.reset();
    await pressNotDuplicate(bystander, duplicates[0]!);
    expect(whispers()).toEqual([expect.stringContaining('can say')]);
    expect(await reload(duplicates[0]!)).toMatchObject({ status: 'closed', closeReason: 'duplicate' });
  });

  it('from the reporter splits it back out: open, unlinked, counted out, the pair remembered, both told', async () => {
    const { canonical, duplicates } = await group(2, [bystander, developer]);
    const duplicate = duplicates[0]!;
    const looksLikeTs = await linkedNoticeTs(duplicate);
    t.slackApi.reset();
    await pressNotDuplicate(bystander, duplicate);

    expect(await reload(duplicate)).toMatchObject({
      status: 'open',
      closeReason: null,
      closedAt: null,
      duplicateOfId: null,
    });
    expect(await db.orm.em.fork().findOneOrFail(BugReportDedup, { canonicalBugId: canonical.id })).toMatchObject({
      occurrenceCount: 2,
    });
    const pairs = await db.orm.em
      .fork()
      .getConnection()
      .execute('select bug_id, other_bug_id, decided_by from bug_not_duplicate_pairs where bug_id = ?', [canonical.id]);
    expect(pairs).toEqual([{ bug_id: canonical.id, other_bug_id: duplicate.id, decided_by: bystander }]);
    expect((await eventsOf(duplicate)).at(-1)).toBe('bug.duplicate_split');
    expect((await eventsOf(canonical)).at(-1)).toBe('bug.duplicate_split');
    expect(threadTexts(duplicate)).toEqual([expect.stringContaining(`is not a duplicate of *<`)]);
    expect(lastCard(canonical)).toContain('*Reported*\\n2 times');
    expect(lastCard(duplicate)).toContain(ACTIONS.claim);
    // The "Looks like" notice now says it was split out and by whom, and its button is gone.
    const edits = editsOf(looksLikeTs);
    expect(edits).toHaveLength(1);
    expect(String(edits[0]!.body.text)).toContain(
      `Split out: <@${bystander}> said *${duplicate.ref}* is not a duplicate of`,
    );
    expect(JSON.stringify(edits[0]!.body.blocks ?? null)).not.toContain(ACTIONS.notDuplicate);
    expect((await reload(duplicate)).duplicateNoticeId).toBeNull();

    t.slackApi.reset();
    await pressNotDuplicate(bystander, duplicate);
    expect(whispers()).toEqual([`${duplicate.ref} is not linked to another bug as a duplicate.`]);
  });

  it('a split duplicate is reopened by a split only; a plain reopen of a duplicate is refused', async () => {
    const { duplicates } = await group(1);
    const looksLikeTs = await linkedNoticeTs(duplicates[0]!);
    expect(await command(developer, `reopen ${duplicates[0]!.ref}`)).toContain('/bugs split');
    t.slackApi.reset();
    expect(await command(developer, `split ${duplicates[0]!.ref}`)).toContain('is open again on its own');
    expect((await reload(duplicates[0]!)).status).toBe('open');
    const edits = editsOf(looksLikeTs);
    expect(edits.map((call) => String(call.body.text))).toEqual([
      expect.stringContaining(`Split out: <@${developer}> said *${duplicates[0]!.ref}*`),
    ]);
    expect(JSON.stringify(edits[0]!.body.blocks ?? null)).not.toContain(ACTIONS.notDuplicate);
  });
});

describe('/bugs merge and /bugs split', () => {
  it('a developer merges a bug into another: closed as its duplicate, counted, an event on both, a notice', async () => {
    const a = await report('The dashboard is blank');
    const b = await report('Dashboard shows nothing at all', bystander);
    t.slackApi.reset();
    const answer = await command(developer, `merge ${b.ref} into ${a.ref}`);
    expect(answer).toContain(`is closed as a duplicate of`);
    expect(await reload(b)).toMatchObject({ status: 'closed', closeReason: 'duplicate', duplicateOfId: a.id });
    expect((await eventsOf(a)).at(-1)).toBe('bug.duplicate_linked');
    expect((await eventsOf(b)).at(-1)).toBe('bug.duplicate_linked');
    expect(threadTexts(b)).toEqual([expect.stringContaining(`marked *${b.ref}* as a duplicate of`)]);
    expect(lastCard(a)).toContain('*Reported*\\n2 times');

    expect(await command(developer, `split ${b.ref}`)).toContain('is open again on its own');
    expect(await reload(b)).toMatchObject({ status: 'open', duplicateOfId: null });
  });

  it('is refused to reporters and bystanders, and for a bug and itself', async () => {
    const a = await report('Avatar upload spins');
    const b = await report('Avatar upload spinner never stops');
    expect(await command(bystander, `merge ${b.ref} into ${a.ref}`)).toBe('Only developers and admins can merge bugs.');
    expect(await command(admin, `merge ${a.ref} ${a.ref}`)).toBe(`${a.ref} cannot be a duplicate of itself.`);
    expect(await command(admin, `merge ${a.ref}`)).toContain('/bugs merge BUG-13 into BUG-12');
    expect((await reload(b)).status).toBe('open');
  });

  it('merging into a duplicate links to its canonical bug; a merged canonical bug brings its duplicates along', async () => {
    const first = await group(1);
    const second = await group(1);
    await command(admin, `merge ${second.canonical.ref} into ${first.duplicates[0]!.ref}`);
    expect((await reload(second.canonical)).duplicateOfId).toBe(first.canonical.id);
    expect((await reload(second.duplicates[0]!)).duplicateOfId).toBe(first.canonical.id);
    expect(lastCard(first.canonical)).toContain('*Reported*\\n4 times');
  });
});

describe('merging with an imported bug that has no Slack thread', () => {
  it('names it without a link in the notices and answers, never a broken archives// link', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bugsweep-merge-imported-'));
    try {
      const input = path.join(dir, 'old.json');
      writeFileSync(input, JSON.stringify([{ id: 'OLD-M1', title: 'Export drops rows', created: '2024-06-01' }]));
      expect(await importLegacyReports(t.bugsweep.ctx, { input })).toMatchObject({ imported: 1, rejected: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const imported = await db.orm.em.fork().findOneOrFail(BugReport, { legacyId: 'OLD-M1' });
    const fresh = await report('Export is missing some rows');
    t.slackApi.reset();
    const answer = await command(developer, `merge ${fresh.ref} into ${imported.ref}`);
    expect(await reload(fresh)).toMatchObject({ closeReason: 'duplicate', duplicateOfId: imported.id });
    const notice = threadTexts(fresh).join('\n');
    expect(notice).toContain(`marked *${fresh.ref}* as a duplicate of *${imported.ref}*`);
    expect(answer).toContain(`duplicate of *${imported.ref}*`);
    for (const text of [answer, notice]) expect(text).not.toContain('archives//');
    t.slackApi.reset();
    await command(developer, `split ${fresh.ref}`);
    const split = threadTexts(fresh).join('\n');
    expect(split).toContain(`is not a duplicate of *${imported.ref}*`);
    expect(split).not.toContain('archives//');
  });
});

describe('a reply in a duplicate thread', () => {
  it("from the duplicate's reporter counts as activity on the canonical bug; a bystander's does not", async () => {
    const { canonical, duplicates } = await group(1, [developer]);
    const before = (await reload(canonical)).lastActivityAt;
    t.clock.advance(5 * HOUR);
    const replyAt = t.clock.now();
    await sendEvent(
      t.baseUrl,
      threadReply({ user: bystander, ts: slackTs(replyAt), threadTs: duplicates[0]!.threadTs, text: 'me too' }),
    );
    await t.settle();
    expect((await reload(canonical)).lastActivityAt).toEqual(before);
    await sendEvent(
      t.baseUrl,
      threadReply({ user: developer, ts: slackTs(replyAt), threadTs: duplicates[0]!.threadTs, text: 'still broken' }),
    );
    await t.settle();
    expect((await reload(canonical)).lastActivityAt.getTime()).toBe(Math.floor(replyAt.getTime() / 1000) * 1000);
  });
});
