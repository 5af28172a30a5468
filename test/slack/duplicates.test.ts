// Duplicate grouping through the real intake path: reports posted in bug channels (signed Events API deliveries into
// the running app) on PostgreSQL, including matching reports arriving at the same moment.
import { describe, expect, it } from 'vitest';
import { BugEvent, BugReport, BugReportDedup } from '../../src/db/entities/index.ts';
import { fingerprintReport } from '../../src/domain/fingerprint.ts';
import { ACTIONS } from '../../src/messages/ids.ts';
import { createApiToken } from '../../src/services/api-tokens.ts';
import { useTestDatabase } from '../support/database.ts';
import { buttonPress } from '../support/interaction-payloads.ts';
import { sendEvent, sendInteraction } from '../support/signed-requests.ts';
import { messageChanged, topLevelMessage } from '../support/slack-events.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { DAY, HOUR, slackTs } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db, { BUG_CHANNELS: `${TEST_CHANNEL},CMOBILE`, DEDUP_WINDOW: '30d' });
const { reporter, developer, bystander } = TEST_USERS;

let traceSeq = 0;
/** A Node crash as people paste it; every call a different function name (a new fingerprint) unless `fn` is given. */
function crash(options: { fn?: string; line?: number; root?: string } = {}) {
  traceSeq += 1;
  const fn = options.fn ?? `handler${String.fromCharCode(97 + (traceSeq % 26))}${'x'.repeat(traceSeq)}`;
  const line = options.line ?? 42;
  const root = options.root ?? '/app';
  return {
    fn,
    text: [
      'Checkout crashed again',
      '```',
      "TypeError: Cannot read properties of undefined (reading 'id')",
      `    at ${fn} (${root}/src/orders/create-order.js:${line}:18)`,
      `    at async checkout (${root}/src/routes/checkout.js:${line + 3}:5)`,
      `    at async Layer.handle (${root}/node_modules/express/lib/router/layer.js:95:5)`,
      '```',
    ].join('\n'),
  };
}

async function report(text: string, options: { user?: string; channel?: string } = {}) {
  const ts = slackTs(t.clock.now());
  const channel = options.channel ?? TEST_CHANNEL;
  const res = await sendEvent(t.baseUrl, topLevelMessage({ user: options.user ?? reporter, ts, text, channel }));
  expect(res.status).toBe(200);
  await t.settle();
  return db.orm.em.fork().findOneOrFail(BugReport, { channelId: channel, threadTs: ts });
}

const reload = (bug: BugReport) => db.orm.em.fork().findOneOrFail(BugReport, bug.id, { refresh: true });
const eventsOf = async (bug: BugReport) =>
  (await db.orm.em.fork().find(BugEvent, { bugId: bug.id }, { orderBy: { id: 'asc' } })).map((e) => e.eventType);
const groupOf = (fingerprint: string) => db.orm.em.fork().findOne(BugReportDedup, { fingerprint });
const postsIn = (bug: BugReport) =>
  t.slackApi.callsTo('chat.postMessage').filter((call) => call.body.thread_ts === bug.threadTs);

describe('a report whose fingerprint matches an open bug', () => {
  it('is linked to it, closed as a duplicate, counted in the group, with an event on both', async () => {
    const { fn, text } = crash();
    const first = await report(text);
    t.clock.advance(2 * HOUR);
    // The same crash from another deploy, other line numbers, another person, another channel.
    const second = await report(crash({ fn, line: 97, root: '/srv/app' }).text, {
      user: bystander,
      channel: 'CMOBILE',
    });

    const fingerprint = fingerprintReport({ title: 'Checkout crashed again', description: text })!.fingerprint;
    expect((await reload(first)).fingerprint).toBe(fingerprint);
    expect(await reload(second)).toMatchObject({
      fingerprint,
      status: 'closed',
      closeReason: 'duplicate',
      duplicateOfId: first.id,
    });
    expect(await reload(first)).toMatchObject({ status: 'open', duplicateOfId: null });
    const group = await groupOf(fingerprint);
    expect(group).toMatchObject({ canonicalBugId: first.id, occurrenceCount: 2 });
    expect(group!.firstSeenAt.toISOString()).toBe(first.createdAt.toISOString());
    expect(group!.lastSeenAt.toISOString()).toBe(second.createdAt.toISOString());
    expect(await eventsOf(second)).toEqual(['bug.created', 'bug.duplicate_linked']);
    expect(await eventsOf(first)).toEqual(['bug.created', 'bug.duplicate_linked']);
    const linked = await db.orm.em
      .fork()
      .findOneOrFail(BugEvent, { bugId: first.id, eventType: 'bug.duplicate_linked' });
    expect(linked.metadata).toMatchObject({ duplicateId: second.id, canonicalId: first.id, how: 'fingerprint' });
  });

  it('gets "Looks like BUG-n (reported N times, last … ago)" with a link in its thread', async () => {
    const { fn, text } = crash();
    const first = await report(text);
    t.clock.advance(30 * 60_000);
    await report(crash({ fn, line: 7 }).text);
    t.clock.advance(2 * HOUR);
    t.slackApi.reset();
    const third = await report(crash({ fn, line: 8 }).text, { user: developer });

    const texts = postsIn(third).map((call) => String(call.body.text));
    expect(texts[1]).toBe(`Looks like *${first.ref}* (reported 3 times, last 2 h ago)`);
    const blocks = JSON.stringify(postsIn(third)[1]!.body.blocks);
    expect(blocks).toContain(
      `<https://example.slack.com/archives/${TEST_CHANNEL}/p${first.threadTs.replace('.', '')}|${first.ref}>`,
    );
    expect(blocks).toContain('Not a duplicate');
  });

  it('starts a new group once the canonical bug is resolved, or the group was last seen before DEDUP_WINDOW', async () => {
    const { fn, text } = crash();
    const first = await report(text);
    await db.orm.em.fork().nativeUpdate(BugReport, { id: first.id }, { status: 'resolved' });
    const afterFix = await report(crash({ fn, line: 3 }).text);
    expect(await reload(afterFix)).toMatchObject({ status: 'open', duplicateOfId: null });
    expect(await groupOf(afterFix.fingerprint!)).toMatchObject({ canonicalBugId: afterFix.id, occurrenceCount: 1 });

    t.clock.advance(31 * DAY);
    const muchLater = await report(crash({ fn, line: 4 }).text);
    expect(await reload(muchLater)).toMatchObject({ status: 'open', duplicateOfId: null });
    expect(await groupOf(afterFix.fingerprint!)).toMatchObject({ canonicalBugId: muchLater.id, occurrenceCount: 1 });
  });

  it('an escalated or claimed canonical bug still collects duplicates', async () => {
    const { fn, text } = crash();
    const first = await report(text);
    await db.orm.em.fork().nativeUpdate(BugReport, { id: first.id }, { status: 'escalated' });
    const second = await report(crash({ fn, line: 5 }).text);
    expect((await reload(second)).duplicateOfId).toBe(first.id);
    await db.orm.em.fork().nativeUpdate(BugReport, { id: first.id }, { status: 'in_progress', claimantId: developer });
    const third = await report(crash({ fn, line: 6 }).text);
    expect((await reload(third)).duplicateOfId).toBe(first.id);
  });
});

describe('reports without enough signal', () => {
  it('have no fingerprint and are never grouped, even with the same title', async () => {
    const a = await report('The page is slow');
    const b = await report('The page is slow');
    expect((await reload(a)).fingerprint).toBeNull();
    expect(await reload(b)).toMatchObject({ fingerprint: null, status: 'open', duplicateOfId: null });
  });
});

describe('matching reports arriving at the same moment', () => {
  it('form one group with one canonical bug, every other report linked to it', async () => {
    for (let round = 0; round < 3; round++) {
      const { fn, text } = crash();
      const texts = [text, crash({ fn, line: 11 }).text, crash({ fn, line: 12 }).text, crash({ fn, line: 13 }).text];
      const deliveries = texts.map((body, i) => ({
        ts: slackTs(t.clock.now()),
        body,
        channel: i % 2 === 0 ? TEST_CHANNEL : 'CMOBILE',
      }));
      const responses = await Promise.all(
        deliveries.map((d) =>
          sendEvent(t.baseUrl, topLevelMessage({ user: reporter, ts: d.ts, text: d.body, channel: d.channel })),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      await t.settle();
      const bugs = await db.orm.em.fork().find(BugReport, { threadTs: { $in: deliveries.map((d) => d.ts) } });
      expect(bugs).toHaveLength(4);
      const canonicals = bugs.filter((bug) => bug.duplicateOfId === null);
      expect(canonicals).toHaveLength(1);
      const canonical = canonicals[0]!;
      expect(canonical.status).toBe('open');
      for (const bug of bugs.filter((b) => b !== canonical)) {
        expect(bug).toMatchObject({ duplicateOfId: canonical.id, status: 'closed', closeReason: 'duplicate' });
      }
      expect(await groupOf(canonical.fingerprint!)).toMatchObject({ canonicalBugId: canonical.id, occurrenceCount: 4 });
    }
  });
});

async function edit(bug: BugReport, before: string, after: string) {
  const res = await sendEvent(
    t.baseUrl,
    messageChanged({
      channel: bug.channelId,
      ts: bug.threadTs,
      user: bug.reporterId,
      before,
      after,
      editedAt: slackTs(t.clock.now()),
    }),
  );
  expect(res.status).toBe(200);
  await t.settle();
}

describe('an edited report', () => {
  it('that now carries a matching stack trace is linked like a new report', async () => {
    const { text } = crash();
    const canonical = await report(text);
    const vague = await report('Checkout crashed again, no idea why');
    expect((await reload(vague)).fingerprint).toBeNull();
    t.slackApi.reset();
    await edit(vague, 'Checkout crashed again, no idea why', text);
    expect(await reload(vague)).toMatchObject({
      status: 'closed',
      closeReason: 'duplicate',
      duplicateOfId: canonical.id,
    });
    expect(postsIn(vague).map((call) => String(call.body.text))).toContainEqual(
      expect.stringContaining(`Looks like *${canonical.ref}* (reported 2 times`),
    );
  });

  it('split out by "Not a duplicate" is never linked to the same bug again, however often it is edited', async () => {
    const { fn, text } = crash();
    const canonical = await report(text);
    const second = await report(crash({ fn, line: 77 }).text);
    expect((await reload(second)).duplicateOfId).toBe(canonical.id);
    await sendInteraction(
      t.baseUrl,
      buttonPress({
        userId: reporter,
        actionId: ACTIONS.notDuplicate,
        value: String(second.id),
        channelId: second.channelId,
        messageTs: second.threadTs,
        threadTs: second.threadTs,
      }),
    );
    await t.settle();
    expect((await reload(second)).status).toBe('open');
    await edit(second, crash({ fn, line: 77 }).text, `${crash({ fn, line: 78 }).text}\n(typo fixed)`);
    expect(await reload(second)).toMatchObject({ status: 'open', duplicateOfId: null });
    expect(await groupOf(canonical.fingerprint!)).toMatchObject({ canonicalBugId: canonical.id, occurrenceCount: 1 });
  });
});

describe('near-duplicates', () => {
  it('a similar title in the same channel within the window is suggested with both links, never merged', async () => {
    const first = await report('Checkout page freezes on Safari when applying a coupon');
    t.clock.advance(3 * HOUR);
    t.slackApi.reset();
    const second = await report('Checkout page freezes in Safari applying coupon');
    const notice = postsIn(second)
      .map((call) => String(call.body.text))
      .find((text) => text.includes('might be the same'));
    expect(notice).toContain(
      `*<https://example.slack.com/archives/${TEST_CHANNEL}/p${first.threadTs.replace('.', '')}|${first.ref}>*`,
    );
    expect(notice).toContain(`/bugs merge ${second.ref} into ${first.ref}`);
    expect(await reload(second)).toMatchObject({ status: 'open', duplicateOfId: null });
    expect(await eventsOf(second)).toEqual(['bug.created', 'bug.near_duplicate_suggested']);
    const event = await db.orm.em
      .fork()
      .findOneOrFail(BugEvent, { bugId: second.id, eventType: 'bug.near_duplicate_suggested' });
    expect(event.metadata).toMatchObject({ similarId: first.id, similarRef: first.ref });
  });

  it('is not suggested from another channel, for a dissimilar title, or after DEDUP_WINDOW', async () => {
    await report('Invoice PDF has the wrong logo on page two');
    const elsewhere = await report('Invoice PDF has the wrong logo on page two', { channel: 'CMOBILE' });
    const different = await report('Password reset email never arrives');
    t.clock.advance(31 * DAY);
    const late = await report('Invoice PDF has the wrong logo on page 2');
    for (const bug of [elsewhere, different, late]) {
      expect(await eventsOf(bug)).toEqual(['bug.created']);
    }
  });
});

describe('over the agent API', () => {
  it('a bug shows its fingerprint and the canonical bug it duplicates (duplicate_of), null when it is none', async () => {
    const created = await createApiToken(t.bugsweep.ctx, { name: 'dedup-reader', scopes: ['read'] });
    if (!created.ok) throw new Error(created.message);
    const fetched = async (bug: BugReport) => {
      const res = await fetch(`${t.baseUrl}/api/v1/bug-reports/${bug.ref}`, {
        headers: { authorization: `Bearer ${created.token}` },
      });
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, unknown>;
    };
    const { fn, text } = crash();
    const canonical = await report(text);
    const duplicate = await report(crash({ fn, line: 51 }).text);
    const vague = await report('Checkout is weird today');
    const fingerprint = (await reload(canonical)).fingerprint;
    expect(await fetched(canonical)).toMatchObject({ fingerprint, duplicate_of: null, legacy_id: null });
    expect(await fetched(duplicate)).toMatchObject({
      fingerprint,
      duplicate_of: canonical.ref,
      status: 'closed',
      close_reason: 'duplicate',
    });
    expect(await fetched(vague)).toMatchObject({ fingerprint: null, duplicate_of: null });
  });
});
