// The admin App Home (issue 15) through the running app: what an admin sees above their own lists (counts by
// status, the orphaned-claims badge and its button, what the next sweep will warn or close, the sweep's state with
// Pause / Resume / Run now, SLA-breached bugs), the view published again after each button, and every admin
// button refused for a non-admin (a forged press) with nothing changed.
import { beforeEach, describe, expect, it } from 'vitest';
import { BugReport, SweepRun, SweepState } from '../../src/db/entities/index.ts';
import { ACTIONS, VIEWS } from '../../src/messages/ids.ts';
import { overLimits } from '../support/block-kit.ts';
import { useTestDatabase } from '../support/database.ts';
import { createBug } from '../support/factories.ts';
import { viewSubmission } from '../support/interaction-payloads.ts';
import { resetSweepWorld, timelineFor } from '../support/sweep-support.ts';
import { TEST_USERS, useTestApp } from '../support/test-app.ts';
import { DAY, HOUR, plus, START } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);
const { admin, developer, developer2, reporter } = TEST_USERS;
const em = () => db.orm.em.fork();

beforeEach(() => resetSweepWorld(db, t));

const homeOpened = (user: string) => ({
  type: 'app_home_opened',
  user,
  channel: 'D0HOME',
  tab: 'home',
  event_ts: '1764000000.000100',
});

let pressSeq = 0;
/** A button pressed on the App Home view, in the shape Slack sends it (container of type view, no channel). */
function homePress(user: string, actionId: string) {
  pressSeq += 1;
  return {
    type: 'block_actions',
    team: { id: 'TTEAM', domain: 'example' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'TTEAM' },
    api_app_id: 'AAPP',
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: 'VHOME' },
    trigger_id: `6161.${pressSeq}.hometrigger`,
    view: { id: 'VHOME', team_id: 'TTEAM', type: 'home', blocks: [], private_metadata: '', callback_id: '' },
    actions: [
      {
        action_id: actionId,
        block_id: 'home_sweep_actions',
        text: { type: 'plain_text', text: actionId, emoji: true },
        type: 'button',
        action_ts: `1764000000.${String(pressSeq).padStart(6, '0')}`,
      },
    ],
    is_enterprise_install: false,
    enterprise: null,
  };
}

const { deliver, interact } = timelineFor(db, t);
const press = (user: string, actionId: string) => interact(homePress(user, actionId));

async function openHome(user: string): Promise<string> {
  t.slackApi.reset();
  await deliver(homeOpened(user));
  return lastHome(user);
}

function lastHome(user: string): string {
  const published = t.slackApi.callsTo('views.publish').filter((call) => call.body.user_id === user);
  expect(published.length).toBeGreaterThan(0);
  return JSON.stringify(published.at(-1)!.body.view);
}

const ago = (ms: number) => plus(START, -ms);

/** An orphaned claim, a bug the next sweep will warn, an SLA-breached bug, a plain open one and a resolved one. */
async function world() {
  const orphan = await createBug(em(), {
    title: 'Quiet claim',
    status: 'in_progress',
    claimantId: developer2,
    claimedAt: ago(10 * DAY),
    lastActivityAt: ago(HOUR),
  });
  const quiet = await createBug(em(), { title: 'Nobody said anything', lastActivityAt: ago(4 * DAY + HOUR) });
  const breached = await createBug(em(), { title: 'Checkout down', lastActivityAt: ago(HOUR) });
  await em().nativeUpdate(BugReport, { id: breached.id }, { severity: 'critical', slaDueAt: ago(2 * HOUR) });
  const fresh = await createBug(em(), { title: 'Just in', lastActivityAt: ago(HOUR) });
  const done = await createBug(em(), { title: 'Long fixed', status: 'resolved', lastActivityAt: ago(HOUR) });
  return { orphan, quiet, breached, fresh, done };
}

const ADMIN_ACTIONS = [ACTIONS.homeReleaseClaims, ACTIONS.homePauseSweep, ACTIONS.homeRunSweep];

describe('App Home for admins', () => {
  it('shows counts, orphaned claims with their button, what the next sweep will do, the sweep, SLA-breached bugs', async () => {
    const { orphan, quiet, breached } = await world();
    const view = await openHome(admin);
    expect(view).toContain('"text":"Admin"');
    expect(view).toContain(
      'Open *3* · In progress *1* · Resolved *1* · Closed *0* · Escalated *0* · Awaiting verification *0*',
    );
    expect(view).toContain(':warning: *1 orphaned claim*');
    for (const id of ADMIN_ACTIONS) expect(view).toContain(`"action_id":"${id}"`);
    expect(view).not.toContain(`"action_id":"${ACTIONS.homeResumeSweep}"`);
    expect(view).toMatch(new RegExp(`The next sweep will warn\\* \\(1\\)\\\\n• <[^|]+\\|\\*${quiet.ref}\\*>`));
    expect(view).toContain('*The next sweep will close* nothing.');
    expect(view).toContain(':warning: *No replica has run the schedule for two slots*');
    expect(view).toMatch(
      new RegExp(
        `SLA breached\\* \\(1\\)\\\\n• <[^|]+\\|\\*${breached.ref}\\*> Checkout down · unclaimed · was due <!date\\^`,
      ),
    );
    // Their own lists are still there, below.
    expect(view).toContain('Your claims');
    expect(view.indexOf('"text":"Admin"')).toBeLessThan(view.indexOf('Your claims'));
    expect(view).not.toContain(`*${orphan.ref}* Quiet claim · `); // not in the admin's own claims
  });

  it('a non-admin sees their claims, reports and the queue, and no admin part', async () => {
    const { orphan } = await world();
    const view = await openHome(developer2);
    expect(view).not.toContain('"text":"Admin"');
    for (const id of [...ADMIN_ACTIONS, ACTIONS.homeResumeSweep]) expect(view).not.toContain(`"action_id":"${id}"`);
    expect(view).toContain(orphan.ref);
    expect(view).toContain('Waiting for someone');
  });

  it('Pause, Resume and Run now do their work and publish the view again', async () => {
    const { quiet } = await world();
    await openHome(admin);
    t.slackApi.reset();

    await press(admin, ACTIONS.homePauseSweep);
    const paused = await em().findOneOrFail(SweepState, { id: 1 });
    expect(paused).toMatchObject({ paused: true, pausedBy: admin });
    const afterPause = lastHome(admin);
    expect(afterPause).toContain('*Paused* by <@UADMIN>');
    expect(afterPause).toContain(`"action_id":"${ACTIONS.homeResumeSweep}"`);
    expect(afterPause).not.toContain(`"action_id":"${ACTIONS.homePauseSweep}"`);

    t.slackApi.reset();
    await press(admin, ACTIONS.homeResumeSweep);
    expect((await em().findOneOrFail(SweepState, { id: 1 })).paused).toBe(false);
    expect(lastHome(admin)).toContain(':warning: *No replica has run the schedule for two slots*');

    t.slackApi.reset();
    await press(admin, ACTIONS.homeRunSweep);
    const runs = await em().find(SweepRun, {});
    expect(runs.map((run) => [run.trigger, run.triggeredBy, run.status, run.warned])).toEqual([
      ['admin', admin, 'completed', 1],
    ]);
    expect((await em().findOneOrFail(BugReport, quiet.id)).warnedAt).toBeTruthy();
    const afterRun = lastHome(admin);
    expect(afterRun).toContain('*The next sweep will warn* nothing.');
    expect(afterRun).toContain('*Last runs*');
  });

  it('Release orphaned claims opens the /bugs release confirmation; confirming releases and refreshes the view', async () => {
    const { orphan } = await world();
    t.slackApi.reset();
    await press(admin, ACTIONS.homeReleaseClaims);
    const opened = t.slackApi.callsTo('views.open');
    expect(opened).toHaveLength(1);
    const modal = opened[0]!.body.view as { callback_id: string; private_metadata: string };
    expect(modal.callback_id).toBe(VIEWS.releaseClaims);
    expect(JSON.parse(modal.private_metadata)).toEqual({ claims: [{ bugId: orphan.id, claimantId: developer2 }] });

    await interact(
      viewSubmission({
        userId: admin,
        callbackId: VIEWS.releaseClaims,
        privateMetadata: modal.private_metadata,
        values: {},
      }),
    );
    expect((await em().findOneOrFail(BugReport, orphan.id)).claimantId ?? null).toBeNull();
    expect(lastHome(admin)).toContain(':white_check_mark: No orphaned claims.');
  });

  it('refuses every admin button pressed by a non-admin (a forged payload): nothing changes, nothing opens', async () => {
    const { orphan, quiet } = await world();
    t.slackApi.reset();
    for (const user of [developer, reporter]) {
      for (const id of [...ADMIN_ACTIONS, ACTIONS.homeResumeSweep]) await press(user, id);
    }
    expect(await em().count(SweepRun, {})).toBe(0);
    expect((await em().findOneOrFail(SweepState, { id: 1 })).paused).toBe(false);
    expect((await em().findOneOrFail(BugReport, orphan.id)).claimantId).toBe(developer2);
    expect((await em().findOneOrFail(BugReport, quiet.id)).warnedAt ?? null).toBeNull();
    expect(t.slackApi.callsTo('views.open')).toEqual([]);
    expect(t.slackApi.callsTo('views.publish')).toEqual([]);
    expect(t.slackApi.callsTo('chat.postMessage')).toEqual([]);
    expect(t.logs.filter((line) => String(line.msg).includes('pressed by a non-admin'))).toHaveLength(8);

    // And a paused sweep stays paused when a non-admin presses Resume.
    await press(admin, ACTIONS.homePauseSweep);
    await press(developer, ACTIONS.homeResumeSweep);
    expect((await em().findOneOrFail(SweepState, { id: 1 })).paused).toBe(true);
  });
});

describe('the release confirmation with more claims than fit', () => {
  it('lists the first page with "and N more", releases exactly the listed ones, skips one that became active', async () => {
    const orphans = [];
    for (let i = 0; i < 25; i += 1) {
      orphans.push(
        await createBug(em(), {
          title: `Quiet claim ${i + 1} ${'&'.repeat(100)}`,
          status: 'in_progress',
          claimantId: i % 2 ? developer : developer2,
          claimedAt: ago(20 * DAY - i * HOUR),
          lastActivityAt: ago(HOUR),
        }),
      );
    }
    t.slackApi.reset();
    await press(admin, ACTIONS.homeReleaseClaims);
    const modal = t.slackApi.callsTo('views.open')[0]!.body.view as {
      private_metadata: string;
      submit: { text: string };
      blocks: { type: string; text?: { text: string }; elements?: { text: string }[] }[];
    };
    const listed = (JSON.parse(modal.private_metadata) as { claims: { bugId: number }[] }).claims.map((c) => c.bugId);
    expect(listed).toEqual(orphans.slice(0, 20).map((bug) => bug.id));
    expect(modal.submit.text).toBe('Release 20');
    const shown = JSON.stringify(modal.blocks);
    for (const bug of orphans.slice(0, 20)) expect(shown).toContain(`*${bug.ref}* Quiet claim`);
    for (const bug of orphans.slice(20)) expect(shown).not.toContain(`*${bug.ref}*`);
    expect(shown).toContain('…and 5 more');
    expect(overLimits({ blocks: modal.blocks })).toEqual([]);

    // Between opening and confirming, one listed claimant speaks up.
    const active = orphans[3]!;
    await em().nativeUpdate(BugReport, { id: active.id }, { claimantLastActivityAt: START });
    const res = await interact(
      viewSubmission({
        userId: admin,
        callbackId: VIEWS.releaseClaims,
        privateMetadata: modal.private_metadata,
        values: {},
      }),
    );
    const done = JSON.stringify((res.json() as { view: unknown }).view);
    expect(done).toContain('19 claims released back to the queue');
    expect(done).toContain(`Left alone: ${active.ref} (the claimant has been active since)`);
    const after = await em().find(BugReport, { id: { $in: orphans.map((bug) => bug.id) } }, { orderBy: { id: 'asc' } });
    expect(after.filter((bug) => !bug.claimantId).map((bug) => bug.id)).toEqual(
      orphans
        .slice(0, 20)
        .filter((bug) => bug !== active)
        .map((bug) => bug.id),
    );
  });
});

describe('the admin App Home with more sweep candidates than it looks at', () => {
  it('says the next-sweep lists are the oldest candidates only, instead of giving their count as the whole', async () => {
    // 201 bugs due a warning: one more than App Home looks at.
    await em().execute(
      `insert into bug_reports (id, ref, title, status, reporter_id, channel_id, thread_ts, created_at, updated_at, last_activity_at)
       select g, 'BUG-' || g, 'Stale ' || g, 'open', 'UREPORTER', 'CBUGS', '1700000000.' || lpad(g::text, 6, '0'),
              '2026-10-01T10:00:00Z', '2026-10-01T10:00:00Z', '2026-10-01T10:00:00Z'
       from generate_series(90001, 90201) g`,
    );
    const home = await openHome(admin);
    expect(home).toContain('*The next sweep will warn* (200+)');
    expect(home).toContain('Only the oldest candidates are shown');
  });
});
