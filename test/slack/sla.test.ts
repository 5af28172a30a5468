// SLA due times (issue 15) through the running app: set at intake by severity, shown on the card as a Slack date
// token, stopped by resolving or escalating, restarted by a reopen, recomputed on a severity change; a breach is
// announced by the sweep once per bug and due time (thread notice to the claimant or the developers' user group,
// one line in ALERT_CHANNEL, event bug.sla_breached), also with two app instances on one database.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BugReport } from '../../src/db/entities/index.ts';
import { VIEWS } from '../../src/messages/ids.ts';
import { changeBugFields } from '../../src/services/bug-lifecycle.ts';
import { announceSlaBreach } from '../../src/services/sweep/sla-breaches.ts';
import { useTestDatabase } from '../support/database.ts';
import { reportFormValues, resolveFormValues, viewSubmission } from '../support/interaction-payloads.ts';
import { sendInteraction, sendSlashCommand } from '../support/signed-requests.ts';
import {
  adminSweep,
  createReplica,
  eventsOfType,
  NO_COUNTS,
  type Replica,
  ran,
  reload,
  resetSweepWorld,
} from '../support/sweep-support.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { DAY, HOUR, MINUTE, plus, START } from '../support/test-clock.ts';

const ALERTS = 'CALERTS';
const SLA_ENV = {
  SLA_CRITICAL: '4h',
  SLA_HIGH: '1d',
  SLA_MEDIUM: '5d',
  SLA_LOW: '0',
  ALERT_CHANNEL: ALERTS,
  // Long enough that the sweep's inactivity rules stay out of these timelines.
  AUTO_CLOSE_AFTER: '30d',
  CLAIM_RELEASE_AFTER: '30d',
};
const db = useTestDatabase();
const t = useTestApp(db, SLA_ENV);
const { reporter, developer, admin } = TEST_USERS;

beforeEach(() => resetSweepWorld(db, t));

async function report(title: string, severity: string): Promise<BugReport> {
  const res = await sendInteraction(
    t.baseUrl,
    viewSubmission({ userId: reporter, values: reportFormValues({ title, description: 'details', severity }) }),
  );
  expect(res.status).toBe(200);
  await t.settle();
  const bug = await db.orm.em.fork().findOneOrFail(BugReport, { title });
  t.slackApi.reset();
  return bug;
}

async function command(userId: string, text: string) {
  const res = await sendSlashCommand(t.baseUrl, { userId, text });
  expect(res.status).toBe(200);
  await t.settle();
}

/** /bugs resolve opens the Resolve modal; submitting it resolves. */
async function resolve(bug: BugReport) {
  await command(developer, `resolve ${bug.ref}`);
  const modal = t.slackApi.callsTo('views.open').at(-1)!.body.view as { private_metadata: string };
  const res = await sendInteraction(
    t.baseUrl,
    viewSubmission({
      userId: developer,
      callbackId: VIEWS.resolveBug,
      privateMetadata: modal.private_metadata,
      values: resolveFormValues('fixed the redirect'),
    }),
  );
  expect(res.status).toBe(200);
  await t.settle();
  expect((await reload(db, bug)).status).toBe('resolved');
}

async function sweepAt(moment: Date) {
  t.clock.set(moment);
  const result = ran(await adminSweep(t.bugsweep.ctx));
  await t.settle();
  return result;
}

const posts = () => t.slackApi.callsTo('chat.postMessage');
const threadPosts = (bug: BugReport) => posts().filter((call) => call.body.thread_ts === bug.threadTs);
const alertPosts = () => posts().filter((call) => call.body.channel === ALERTS);
const cardFields = (bug: BugReport) => {
  const call = [...t.slackApi.calls]
    .reverse()
    .find(
      (c) =>
        (c.method === 'chat.update' && c.body.ts === bug.cardTs) ||
        (c.method === 'chat.postMessage' &&
          c.body.thread_ts === bug.threadTs &&
          /\(Open\)|\(In progress\)/.test(String(c.body.text))),
    );
  const blocks = (call?.body.blocks ?? []) as { type: string; fields?: { text: string }[] }[];
  return blocks.flatMap((block) => block.fields?.map((field) => field.text) ?? []);
};

describe('SLA due times', () => {
  it('is set at intake by severity and shown on the card as a date token; low has none', async () => {
    const critical = await report('Checkout is down', 'critical');
    expect(critical.slaStartedAt?.toISOString()).toBe(START.toISOString());
    expect(critical.slaDueAt?.toISOString()).toBe(plus(START, 4 * HOUR).toISOString());
    const medium = await report('Typo on the pricing page', 'medium');
    expect(medium.slaDueAt?.toISOString()).toBe(plus(START, 5 * DAY).toISOString());
    const low = await report('Button slightly off', 'low');
    expect(low.slaDueAt ?? null).toBeNull();

    // The card is rendered when sent: refresh it by claiming, and read the card update.
    await command(developer, `claim ${critical.ref}`);
    const unix = Math.floor(plus(START, 4 * HOUR).getTime() / 1000);
    expect(cardFields(critical)).toContain(`*Due*\n<!date^${unix}^{date_short_pretty} {time}|Tue 24 Nov, 13:00 UTC>`);
  });

  it('a breach is announced once: the claimant in the thread, one line in ALERT_CHANNEL, event bug.sla_breached', async () => {
    const bug = await report('Payments fail', 'critical');
    await command(developer, `claim ${bug.ref}`);
    t.slackApi.reset();

    // Not yet due: nothing.
    expect((await sweepAt(plus(START, 4 * HOUR - MINUTE))).sla).toEqual({ breached: 0, failed: 0 });
    expect(posts()).toEqual([]);

    const result = await sweepAt(plus(START, 4 * HOUR + 30 * MINUTE));
    expect(result.counts).toEqual(NO_COUNTS);
    expect(result.sla).toEqual({ breached: 1, failed: 0 });
    const notices = threadPosts(bug).map((call) => String(call.body.text));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`<@${developer}>`);
    expect(notices[0]).toContain(`*${bug.ref}* (critical) was due to be resolved by`);
    expect(notices[0]).toContain('30m past it');
    const alerts = alertPosts().map((call) => String(call.body.text));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain(`SLA breached:`);
    expect(alerts[0]).toContain(`*${bug.ref}*`);
    expect(alerts[0]).toContain(`held by <@${developer}>`);
    expect(alertPosts()[0]!.body.thread_ts).toBeUndefined();

    const events = await eventsOfType(db, 'bug.sla_breached');
    expect(events.map((event) => [event.bugId, event.actorKind, event.metadata.dueAt])).toEqual([
      [bug.id, 'system', plus(START, 4 * HOUR).toISOString()],
    ]);
    expect((await reload(db, bug)).slaBreachNotifiedFor?.toISOString()).toBe(plus(START, 4 * HOUR).toISOString());

    // Later sweeps, on this instance and on a second one (a restart or another replica), say nothing more.
    t.slackApi.reset();
    expect((await sweepAt(plus(START, 6 * HOUR))).sla).toEqual({ breached: 0, failed: 0 });
    const replica = await createReplica(t, db, { env: SLA_ENV, ownOrm: true });
    try {
      replica.clock.set(plus(START, 7 * HOUR));
      expect(ran(await adminSweep(replica.ctx)).sla).toEqual({ breached: 0, failed: 0 });
      await replica.ctx.notifier.drain();
    } finally {
      await replica.close();
    }
    expect(posts()).toEqual([]);
    expect(await eventsOfType(db, 'bug.sla_breached')).toHaveLength(1);
  });

  it('an unclaimed bug: the thread notice names nobody without DEVELOPER_USERGROUP; a dry run announces nothing', async () => {
    const bug = await report('Search is slow', 'high');
    const dry = ran(await adminSweep(t.bugsweep.ctx, { dryRun: true }));
    expect(dry.sla).toEqual({ breached: 0, failed: 0 });
    t.clock.set(plus(START, DAY + HOUR));
    expect(ran(await adminSweep(t.bugsweep.ctx, { dryRun: true })).sla).toEqual({ breached: 1, failed: 0 });
    await t.settle();
    expect(posts()).toEqual([]);
    expect((await reload(db, bug)).slaBreachNotifiedFor ?? null).toBeNull();

    await sweepAt(plus(START, DAY + HOUR));
    const notices = threadPosts(bug).map((call) => String(call.body.text));
    expect(notices).toHaveLength(1);
    expect(notices[0]).not.toContain('<@');
    expect(notices[0]).toContain('Nobody has claimed it yet.');
    expect(alertPosts().map((call) => String(call.body.text))[0]).toContain('(high, unclaimed)');
  });

  it('resolving stops the clock, a reopen restarts it from the reopen, escalating stops it', async () => {
    const bug = await report('Login loops', 'critical');
    t.clock.set(plus(START, HOUR));
    await resolve(bug);
    expect((await reload(db, bug)).slaDueAt ?? null).toBeNull();
    // Long past the first due time: a resolved bug is not breached.
    expect((await sweepAt(plus(START, 10 * HOUR))).sla).toEqual({ breached: 0, failed: 0 });

    await command(reporter, `reopen ${bug.ref}`);
    const reopened = await reload(db, bug);
    expect(reopened.status).toBe('open');
    expect(reopened.slaStartedAt?.toISOString()).toBe(plus(START, 10 * HOUR).toISOString());
    expect(reopened.slaDueAt?.toISOString()).toBe(plus(START, 14 * HOUR).toISOString());

    await command(admin, `escalate ${bug.ref} needs the vendor`);
    expect((await reload(db, bug)).slaDueAt ?? null).toBeNull();
    t.slackApi.reset();
    expect((await sweepAt(plus(START, 20 * HOUR))).sla).toEqual({ breached: 0, failed: 0 });
    expect(posts()).toEqual([]);
  });

  it('a severity change recomputes the due time from the same start, and the new due time is announced once', async () => {
    const bug = await report('Export is broken', 'high');
    t.clock.set(plus(START, 2 * HOUR));
    const refused = await changeBugFields(t.bugsweep.ctx, { bugId: bug.id, severity: 'critical', actorId: reporter });
    expect(refused.ok).toBe(false);
    const changed = await changeBugFields(t.bugsweep.ctx, { bugId: bug.id, severity: 'critical', actorId: developer });
    expect(changed.ok).toBe(true);
    await t.settle();
    const critical = await reload(db, bug);
    expect(critical.severity).toBe('critical');
    expect(critical.slaDueAt?.toISOString()).toBe(plus(START, 4 * HOUR).toISOString());
    const [event] = await eventsOfType(db, 'bug.severity_changed');
    expect(event!.metadata).toEqual({
      from: 'high',
      to: 'critical',
      slaDueAt: plus(START, 4 * HOUR).toISOString(),
      previousSlaDueAt: plus(START, DAY).toISOString(),
    });

    await sweepAt(plus(START, 5 * HOUR));
    expect(threadPosts(bug)).toHaveLength(1);
    t.slackApi.reset();

    // Back to high: a new due time, not yet passed; once it passes it is announced, once.
    await changeBugFields(t.bugsweep.ctx, { bugId: bug.id, severity: 'high', actorId: admin });
    await t.settle();
    expect((await reload(db, bug)).slaDueAt?.toISOString()).toBe(plus(START, DAY).toISOString());
    expect((await sweepAt(plus(START, 6 * HOUR))).sla?.breached).toBe(0);
    expect((await sweepAt(plus(START, DAY + MINUTE))).sla?.breached).toBe(1);
    expect((await sweepAt(plus(START, DAY + HOUR))).sla?.breached).toBe(0);
    expect(threadPosts(bug)).toHaveLength(1);
    expect(await eventsOfType(db, 'bug.sla_breached')).toHaveLength(2);
  });
});

describe('/bugs list … due', () => {
  it('sorts by due time, most overdue first, bugs without one last, and shows each due time', async () => {
    const medium = await report('Slow search', 'medium');
    const low = await report('Misaligned icon', 'low');
    const critical = await report('Checkout down', 'critical');
    const high = await report('Export broken', 'high');
    const res = await sendSlashCommand(t.baseUrl, { userId: developer, text: 'list open due' });
    const text = String((res.json() as { text: string }).text);
    const order = [critical, high, medium, low].map((bug) => text.indexOf(`*${bug.ref}*`));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    const unix = Math.floor(plus(START, 4 * HOUR).getTime() / 1000);
    expect(text).toContain(`· due <!date^${unix}^{date_short_pretty} {time}|Tue 24 Nov, 13:00 UTC>`);
    expect(text.split('\n').find((line) => line.includes(`*${low.ref}*`))).toBeDefined();
    expect(text.slice(text.indexOf(`*${low.ref}*`))).not.toContain('· due');

    // Without `due`, newest first as before.
    const plain = String(
      ((await sendSlashCommand(t.baseUrl, { userId: developer, text: 'list' })).json() as { text: string }).text,
    );
    expect(plain.indexOf(`*${high.ref}*`)).toBeLessThan(plain.indexOf(`*${critical.ref}*`));
    expect(plain.indexOf(`*${low.ref}*`)).toBeLessThan(plain.indexOf(`*${medium.ref}*`));
  });
});

describe('two app instances at once', () => {
  let replicas: Replica[] = [];
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    replicas = [];
  });

  it('announce a breach once between them', async () => {
    const bug = await report('Cart empties itself', 'critical');
    const moment = plus(START, 5 * HOUR);
    replicas = await Promise.all([1, 2].map(() => createReplica(t, db, { env: SLA_ENV, ownOrm: true })));
    for (const replica of replicas) replica.clock.set(moment);
    const answers = await Promise.all(replicas.map((replica) => announceSlaBreach(replica.ctx, bug.id, moment)));
    expect(answers.filter(Boolean)).toHaveLength(1);
    await Promise.all(replicas.map((replica) => replica.ctx.notifier.drain()));
    expect(threadPosts(bug)).toHaveLength(1);
    expect(alertPosts()).toHaveLength(1);
    expect(await eventsOfType(db, 'bug.sla_breached')).toHaveLength(1);
    expect(bug.channelId).toBe(TEST_CHANNEL);
  });
});
