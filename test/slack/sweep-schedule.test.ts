// `/bugs sweep schedule` (issue 15): admins change the sweep's schedule without a restart. Through signed requests
// into the running app: the ephemeral answers (next three runs as Slack date tokens), refusals naming what is wrong,
// the stored schedule and its audit rows (sweep_events), reset to SWEEP_SCHEDULE, and the stated times that follow
// the stored schedule: a warning's close time, the preview, `/bugs sweep status` and the admin App Home.
import { beforeEach, describe, expect, it } from 'vitest';
import { BugReport, SweepState } from '../../src/db/entities/index.ts';
import { sweepEvents } from '../../src/db/repositories/sweep.repository.ts';
import { asFallback } from '../support/block-kit.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { sendEvent, sendSlashCommand } from '../support/signed-requests.ts';
import { adminSweep, eventsOfType, ran, resetSweepWorld } from '../support/sweep-support.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { DAY, HOUR, START } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);
const { admin, developer } = TEST_USERS;

type Answer = { response_type?: string; text?: string };

async function slash(userId: string, text: string): Promise<Answer> {
  const res = await sendSlashCommand(t.baseUrl, { userId, text });
  expect(res.status).toBe(200);
  await t.settle();
  return res.json() as Answer;
}

const em = () => db.orm.em.fork();
const stored = () => em().findOneOrFail(SweepState, { id: 1 }, { refresh: true });
const audit = () => sweepEvents(em());
const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
/** The Slack date token bugsweep writes for `iso`, with its fallback. */
const token = (iso: string, fallback: string) => `<!date^${seconds(iso)}^{date_short_pretty} {time}|${fallback}>`;

beforeEach(async () => {
  await resetSweepWorld(db, t);
  await em().execute(
    'update sweep_state set schedule = null, schedule_timezone = null, schedule_set_by = null, schedule_set_at = null',
  );
  await em().execute('truncate sweep_events');
});

describe('/bugs sweep schedule', () => {
  it('shows the configured schedule and its next three runs when given nothing, and changes nothing', async () => {
    const answer = await slash(admin, 'sweep schedule');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe(
      [
        ':calendar: The sweep runs on `0 * * * *` in UTC: SWEEP_SCHEDULE, from the configuration.',
        `Next runs: ${token('2026-11-24T10:00:00Z', 'Tue 24 Nov, 10:00 UTC')}, ${token('2026-11-24T11:00:00Z', 'Tue 24 Nov, 11:00 UTC')}, ${token('2026-11-24T12:00:00Z', 'Tue 24 Nov, 12:00 UTC')}.`,
      ].join('\n'),
    );
    expect(await stored()).toMatchObject({ schedule: null, scheduleTimezone: null });
    expect(await audit()).toEqual([]);
  });

  it('stores a valid cron and time zone, answers with the next three runs in that zone, and audits the change', async () => {
    const answer = await slash(admin, 'sweep schedule 0 9 * * MON-FRI europe/berlin');
    expect(answer.response_type).toBe('ephemeral');
    // Tue 24 Nov 09:00 UTC is 10:00 in Berlin: today's 09:00 has passed there.
    expect(answer.text).toBe(
      [
        ':calendar: Schedule changed: the sweep now runs on `0 9 * * MON-FRI` in Europe/Berlin. Every replica picks it up within a minute.',
        `Next runs: ${token('2026-11-25T08:00:00Z', 'Wed 25 Nov, 09:00 CET')}, ${token('2026-11-26T08:00:00Z', 'Thu 26 Nov, 09:00 CET')}, ${token('2026-11-27T08:00:00Z', 'Fri 27 Nov, 09:00 CET')}.`,
      ].join('\n'),
    );
    expect(await stored()).toMatchObject({
      schedule: '0 9 * * MON-FRI',
      scheduleTimezone: 'Europe/Berlin',
      scheduleSetBy: admin,
      scheduleSetAt: START,
    });
    expect(await audit()).toEqual([
      {
        type: 'sweep.schedule_changed',
        actorId: admin,
        actorKind: 'admin',
        at: START,
        metadata: {
          schedule: '0 9 * * MON-FRI',
          timezone: 'Europe/Berlin',
          previous: { schedule: '0 * * * *', timezone: 'UTC', configured: true },
        },
      },
    ]);

    // Asked again, it says whose schedule it is.
    const shown = (await slash(admin, 'sweep schedule')).text!;
    expect(shown).toContain(
      `:calendar: The sweep runs on \`0 9 * * MON-FRI\` in Europe/Berlin: an admin's schedule, set by <@${admin}> on ${token('2026-11-24T09:00:00Z', 'Tue 24 Nov, 10:00 CET')}, instead of SWEEP_SCHEDULE (\`0 * * * *\` in UTC); \`/bugs sweep schedule reset\` returns to that.`,
    );
  });

  it('takes the time zone from SWEEP_TIMEZONE when none is given, and a cron written as code', async () => {
    const answer = await slash(admin, 'sweep schedule `*/30 * * * *`');
    expect(answer.text).toContain('the sweep now runs on `*/30 * * * *` in UTC.');
    expect(answer.text).toContain(token('2026-11-24T09:30:00Z', 'Tue 24 Nov, 09:30 UTC'));
    expect(await stored()).toMatchObject({ schedule: '*/30 * * * *', scheduleTimezone: 'UTC' });
  });

  it('refuses an invalid cron or time zone with a short explanation naming what is wrong, and stores nothing', async () => {
    const cases: [string, string][] = [
      ['sweep schedule 61 * * * *', '`61 * * * *` is not a cron expression I can run: Invalid value for minute: 61.'],
      ['sweep schedule 0 * * *', '`0 * * *` is not a cron expression I can run: invalid configuration format'],
      ['sweep schedule 0 0 30 2 *', '`0 0 30 2 *` never runs: no date matches it.'],
      ['sweep schedule 0 * * * * Europe/Berln', '`Europe/Berln` is not an IANA time zone'],
      ['sweep schedule 0 * * * * Mars', '`Mars` is not an IANA time zone'],
    ];
    for (const [text, problem] of cases) {
      const answer = await slash(admin, text);
      expect(answer.response_type).toBe('ephemeral');
      expect(answer.text).toContain(problem);
      expect(answer.text).toContain('Nothing changed. The form is `/bugs sweep schedule <cron> [timezone]`');
    }
    expect(await stored()).toMatchObject({ schedule: null, scheduleTimezone: null, scheduleSetBy: null });
    expect(await audit()).toEqual([]);
  });

  it('refuses non-admins, and nothing changes', async () => {
    for (const text of ['sweep schedule', 'sweep schedule */5 * * * *', 'sweep schedule reset']) {
      const answer = await slash(developer, text);
      expect(answer).toMatchObject({
        response_type: 'ephemeral',
        text: 'Sorry, `/bugs sweep` is for bugsweep admins. Ask one of them if something needs doing.',
      });
    }
    expect(await stored()).toMatchObject({ schedule: null, scheduleSetBy: null });
    expect(await audit()).toEqual([]);
  });

  it('reset returns to SWEEP_SCHEDULE, deleting the stored schedule, audited; a second reset changes nothing', async () => {
    await slash(admin, 'sweep schedule 15 */2 * * *');
    t.clock.advance(HOUR);
    const answer = await slash(admin, 'sweep schedule reset');
    expect(answer.text).toBe(
      [
        ':calendar: Schedule reset: the sweep runs on SWEEP_SCHEDULE again, `0 * * * *` in UTC. Every replica picks it up within a minute.',
        `Next runs: ${token('2026-11-24T11:00:00Z', 'Tue 24 Nov, 11:00 UTC')}, ${token('2026-11-24T12:00:00Z', 'Tue 24 Nov, 12:00 UTC')}, ${token('2026-11-24T13:00:00Z', 'Tue 24 Nov, 13:00 UTC')}.`,
      ].join('\n'),
    );
    expect(await stored()).toMatchObject({
      schedule: null,
      scheduleTimezone: null,
      scheduleSetBy: null,
      scheduleSetAt: null,
    });
    const events = await audit();
    expect(events.map((event) => event.type)).toEqual(['sweep.schedule_changed', 'sweep.schedule_reset']);
    expect(events[1]).toEqual({
      type: 'sweep.schedule_reset',
      actorId: admin,
      actorKind: 'admin',
      at: new Date(START.getTime() + HOUR),
      metadata: {
        schedule: '0 * * * *',
        timezone: 'UTC',
        previous: { schedule: '15 */2 * * *', timezone: 'UTC', configured: false },
      },
    });

    const again = await slash(admin, 'sweep schedule reset');
    expect(again.text).toContain(':calendar: The sweep runs on `0 * * * *` in UTC: SWEEP_SCHEDULE');
    expect(await audit()).toHaveLength(2);
  });

  it('pause, resume and cancel are audited in the same trail', async () => {
    await slash(admin, 'sweep pause deploy freeze');
    await slash(admin, 'sweep resume');
    await slash(admin, 'sweep cancel'); // nothing running: nothing asked, nothing audited
    expect((await audit()).map(({ type, actorId, metadata }) => ({ type, actorId, metadata }))).toEqual([
      { type: 'sweep.paused', actorId: admin, metadata: { note: 'deploy freeze' } },
      { type: 'sweep.resumed', actorId: admin, metadata: {} },
    ]);
  });
});

describe('stated times follow the stored schedule', () => {
  // Quiet 4d 1h at START: past AUTO_CLOSE_AFTER (5d) less the warning (1d), so a sweep now warns it, and states
  // the first sweep after the warning period (25 Nov 09:00) as its close time.
  const warnable = () =>
    createBug(em(), {
      title: 'Export hangs on large files',
      createdAt: new Date(START.getTime() - 10 * DAY),
      lastActivityAt: new Date(START.getTime() - 4 * DAY - HOUR),
    });

  it('a warning states the close time on the stored schedule, and /bugs stale and /bugs sweep status say the same', async () => {
    const bug = await warnable();
    await slash(admin, 'sweep schedule 30 */6 * * *');

    const preview = asFallback((await slash(admin, 'stale')).text!);
    expect(preview).toContain('would close Wed 25 Nov, 12:30 UTC');
    const status = asFallback((await slash(admin, 'sweep status')).text!);
    expect(status).toContain(
      `Next scheduled run: Tue 24 Nov, 12:30 UTC (\`30 */6 * * *\`, UTC; set by <@${admin}> on Tue 24 Nov, 09:00 UTC instead of SWEEP_SCHEDULE, \`/bugs sweep schedule reset\` returns to it).`,
    );

    const result = ran(await adminSweep(t.bugsweep.ctx));
    expect(result.counts.warned).toBe(1);
    const warned = await em().findOneOrFail(BugReport, bug.id);
    expect(warned.autoCloseAt?.toISOString()).toBe('2026-11-25T12:30:00.000Z');
    const [event] = await eventsOfType(db, 'bug.warned');
    expect(event?.metadata).toMatchObject({ closesAt: '2026-11-25T12:30:00.000Z' });
    await t.settle();
    const posted = t.slackApi.callsTo('chat.postMessage').map((call) => asFallback(String(call.body.text)));
    expect(posted.some((text) => text.includes('Wed 25 Nov, 12:30 UTC'))).toBe(true);
  });

  it('back on SWEEP_SCHEDULE after a reset: the hourly times again', async () => {
    await warnable();
    await slash(admin, 'sweep schedule 30 */6 * * *');
    await slash(admin, 'sweep schedule reset');
    expect(asFallback((await slash(admin, 'stale')).text!)).toContain('would close Wed 25 Nov, 09:00 UTC');
    expect(asFallback((await slash(admin, 'sweep status')).text!)).toContain(
      'Next scheduled run: Tue 24 Nov, 10:00 UTC (`0 * * * *`, UTC).',
    );
  });

  it('the admin App Home shows the effective schedule and who set it', async () => {
    await slash(admin, 'sweep schedule 30 */6 * * * Europe/Berlin');
    t.slackApi.reset();
    await sendEvent(t.baseUrl, {
      type: 'app_home_opened',
      user: admin,
      channel: 'D0HOME',
      tab: 'home',
      event_ts: '1.1',
    });
    await t.settle();
    const view = asFallback(JSON.stringify(t.slackApi.callsTo('views.publish').at(-1)!.body.view));
    // 12:30 in Berlin is 11:30 UTC, the next run after 09:00 UTC.
    expect(view).toContain(
      `Next scheduled run: Tue 24 Nov, 11:30 UTC (\`30 */6 * * *\`, Europe/Berlin; set by <@${admin}> on Tue 24 Nov, 09:00 UTC instead of SWEEP_SCHEDULE`,
    );
  });
});
