// The digest of what waits on developers (DIGEST_SCHEDULE, DIGEST_CHANNEL; issue 16): what it lists, that an empty
// one is not sent, that each slot's digest is sent once across replicas, and that its Claim button claims the bug.
import { beforeEach, describe, expect, it } from 'vitest';
import { BugReport } from '../../src/db/entities/index.ts';
import { ACTIONS } from '../../src/messages/ids.ts';
import { sendDigest } from '../../src/services/digest.ts';
import { asFallback } from '../support/block-kit.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { FAKE_BOT } from '../support/fake-slack-api.ts';
import { buttonPress } from '../support/interaction-payloads.ts';
import { sendInteraction } from '../support/signed-requests.ts';
import { createReplica, reload, resetSweepWorld, textOf } from '../support/sweep-support.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { DAY, HOUR, plus, START } from '../support/test-clock.ts';

const { developer, developer2 } = TEST_USERS;
const DIGEST = { DIGEST_SCHEDULE: '0 9 * * 1-5', DIGEST_CHANNEL: 'CDIGEST' };

const db = useTestDatabase();
const t = useTestApp(db, DIGEST);
beforeEach(async () => {
  await resetSweepWorld(db, t);
  await db.orm.em.fork().execute('truncate digest_runs');
});

const digests = () => t.slackApi.callsTo('chat.postMessage').filter((call) => call.body.channel === 'CDIGEST');
const blocksOf = (call: { body: Record<string, unknown> }) => JSON.stringify(call.body.blocks);

async function bug(overrides: Parameters<typeof createBug>[1]): Promise<BugReport> {
  return createBug(db.orm.em.fork(), overrides);
}

async function digestAt(moment: Date) {
  t.clock.set(moment);
  const result = await sendDigest(t.bugsweep.ctx, moment);
  await t.settle();
  return result;
}

describe('the digest', () => {
  it('is not sent when there is nothing to list', async () => {
    expect(await digestAt(plus(START, HOUR))).toEqual({ kind: 'empty', slotKey: 'digest:2026-11-24T10:00:00.000Z' });
    expect(t.slackApi.calls).toEqual([]);
  });

  it('lists what waits on developers, what the next sweep warns or closes and orphaned claims, with Claim buttons', async () => {
    const now = plus(START, 8 * DAY); // Wed 2 Dec, 09:00
    const unclaimed = await bug({ title: 'Cart total is wrong', createdAt: plus(now, -3 * DAY) });
    const claimed = await bug({
      title: 'Search loses focus',
      createdAt: plus(now, -2 * DAY),
      status: 'in_progress',
      claimantId: developer,
      claimedAt: plus(now, -DAY),
    });
    // Both past their SLA due time: the unclaimed one two days ago, the claimed one five hours ago.
    await db.orm.em.fork().nativeUpdate(BugReport, { id: unclaimed.id }, { slaDueAt: plus(now, -2 * DAY) });
    await db.orm.em.fork().nativeUpdate(BugReport, { id: claimed.id }, { slaDueAt: plus(now, -5 * HOUR) });
    // A developer answered four and a half days ago: the reporter's turn, and the next sweep warns it.
    const quiet = await bug({ title: 'PDF export is blank', createdAt: plus(now, -6 * DAY) });
    await db.orm.em
      .fork()
      .nativeUpdate(
        BugReport,
        { id: quiet.id },
        { turn: 'reporter', turnSince: plus(now, -4.5 * DAY), lastActivityAt: plus(now, -4.5 * DAY) },
      );
    // Claimed and quiet for eight days: orphaned (and waiting on developers, and idle long enough to warn).
    const orphan = await bug({
      title: 'Avatar upload fails',
      createdAt: plus(now, -9 * DAY),
      status: 'in_progress',
      claimantId: developer2,
      claimedAt: plus(now, -8 * DAY),
    });

    const result = await digestAt(now);
    expect(result).toMatchObject({ kind: 'sent', items: 8 });
    const posted = digests();
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body.thread_ts).toBeUndefined();
    expect(textOf(posted[0]!)).toBe(
      'Bug digest: 3 waiting on developers, 2 past SLA due, 2 to be warned, 0 to be closed, 1 orphaned claims',
    );
    const blocks = posted[0]!.body.blocks as { type: string; text?: { text: string }; accessory?: { value: string } }[];
    const lines = blocks.filter((block) => block.type === 'section').map((block) => block.text!.text);
    expect(lines[0]).toBe('*Waiting on developers* (3)');
    // Longest waiting first, with how long and who holds it.
    expect(lines[1]).toContain(`|${orphan.ref}>* Avatar upload fails\nwaiting 9d · <@${developer2}>`);
    expect(lines[2]).toContain(`|${unclaimed.ref}>* Cart total is wrong\nwaiting 3d · _unclaimed_`);
    expect(lines[3]).toContain(`|${claimed.ref}>* Search loses focus\nwaiting 2d · <@${developer}>`);
    // The oldest breach first, with its due time, how long overdue and who holds it.
    expect(lines[4]).toBe('*Past their SLA due time* (2)');
    expect(asFallback(lines[5]!)).toContain(
      `|${unclaimed.ref}>* Cart total is wrong\nwas due Mon 30 Nov, 09:00 UTC, 2d overdue · _unclaimed_`,
    );
    expect(asFallback(lines[6]!)).toContain(
      `|${claimed.ref}>* Search loses focus\nwas due Wed 2 Dec, 04:00 UTC, 5h overdue · <@${developer}>`,
    );
    expect(lines[7]).toBe('*The next sweep warns* (2)');
    expect(lines.join('\n')).toContain(`|${quiet.ref}>* PDF export is blank\nwould close <!date^`);
    expect(lines.at(-2)).toBe('*Orphaned claims* (1)');
    expect(lines.at(-1)).toBe(`*${orphan.ref}* Avatar upload fails\n<@${developer2}> quiet for 8d`);
    // A Claim button on each unclaimed bug only.
    const claims = blocks.filter((block) => block.accessory).map((block) => Number(block.accessory!.value));
    expect(new Set(claims)).toEqual(new Set([unclaimed.id, quiet.id]));
    expect(blocksOf(posted[0]!)).toContain(ACTIONS.claim);

    // The Claim button claims the bug, as on its card.
    const press = buttonPress({
      userId: developer,
      actionId: ACTIONS.claim,
      value: String(unclaimed.id),
      channelId: 'CDIGEST',
      messageTs: '1796000000.000100',
    });
    expect((await sendInteraction(t.baseUrl, press)).status).toBe(200);
    await t.settle();
    expect(await reload(db, unclaimed)).toMatchObject({ status: 'in_progress', claimantId: developer });
  });

  it('a long list ends with "and N more" and a link to App Home', async () => {
    for (let i = 0; i < 11; i++) await bug({ title: `Bug number ${i}`, createdAt: plus(START, -i * HOUR) });
    await digestAt(plus(START, HOUR));
    const text = blocksOf(digests()[0]!);
    expect(text).toContain('*Waiting on developers* (11)');
    expect(text).toContain(
      `…and 4 more: see <slack://app?team=${FAKE_BOT.teamId}&id=${FAKE_BOT.appId}&tab=home|App Home>.`,
    );
  });

  it('is sent once per slot across replicas', async () => {
    await bug({ title: 'Only one', createdAt: START });
    const replica = await createReplica(t, db, { env: DIGEST, ownOrm: true });
    try {
      const slot = plus(START, 24 * HOUR);
      t.clock.set(slot);
      replica.clock.set(slot);
      const results = await Promise.all([sendDigest(t.bugsweep.ctx, slot), sendDigest(replica.ctx, slot)]);
      expect(results.map((result) => result.kind).sort()).toEqual(['sent', 'slot_taken']);
      expect((await sendDigest(t.bugsweep.ctx, slot)).kind).toBe('slot_taken');
      await replica.ctx.notifier.drain();
      await t.settle();
      expect(digests()).toHaveLength(1);
      // The next slot is another digest.
      expect((await sendDigest(replica.ctx, plus(slot, DAY))).kind).toBe('sent');
    } finally {
      await replica.close();
    }
  });
});
