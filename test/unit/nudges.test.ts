import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { decideNudge, type NudgeState } from '../../src/domain/nudges.ts';
import { closesOnSilence, decideInactivity, type SweepSettings } from '../../src/domain/sweep-rules.ts';
import { buildBugCard } from '../../src/messages/bug-card.ts';
import { slackMoment } from '../../src/messages/date-token.ts';
import { buildDeveloperNudge, buildInactivityWarning, buildNudgeWithdrawn } from '../../src/messages/thread-notices.ts';
import { DAY } from '../support/test-clock.ts';

const BASE: SweepSettings = {
  autoCloseAfterMs: 5 * DAY,
  autoCloseWarningMs: DAY,
  claimReleaseAfterMs: 7 * DAY,
  claimReminderMs: 2 * DAY,
};
const POLICY: SweepSettings = { ...BASE, autoClosePolicy: 'waiting-on-reporter', developerNudgeAfterMs: 2 * DAY };
const since = new Date('2026-11-24T09:00:00Z');
const waiting: NudgeState = { status: 'open', turn: 'developers', turnSince: since, nudgedAt: null };
const later = (ms: number) => new Date(since.getTime() + ms);

describe('decideNudge', () => {
  it('nudges once DEVELOPER_NUDGE_AFTER of developer silence has passed, strictly', () => {
    expect(decideNudge(waiting, later(2 * DAY), POLICY)).toEqual({ kind: 'none' });
    expect(decideNudge(waiting, later(2 * DAY + 1), POLICY)).toEqual({
      kind: 'nudge',
      waitingSince: since,
      silentMs: 2 * DAY + 1,
    });
  });

  it('nudges once per developers turn', () => {
    expect(decideNudge({ ...waiting, nudgedAt: later(3 * DAY) }, later(9 * DAY), POLICY)).toEqual({ kind: 'none' });
    // A nudge of an earlier turn does not count for this one.
    expect(decideNudge({ ...waiting, nudgedAt: later(-DAY) }, later(3 * DAY), POLICY).kind).toBe('nudge');
  });

  it("never nudges the reporter's turn, bugs the sweep leaves alone, or without the policy or with 0", () => {
    const late = later(30 * DAY);
    expect(decideNudge({ ...waiting, turn: 'reporter' }, late, POLICY)).toEqual({ kind: 'none' });
    for (const status of ['resolved', 'closed', 'escalated'] as const) {
      expect(decideNudge({ ...waiting, status }, late, POLICY)).toEqual({ kind: 'none' });
    }
    expect(decideNudge(waiting, late, BASE)).toEqual({ kind: 'none' });
    expect(decideNudge(waiting, late, { ...POLICY, developerNudgeAfterMs: 0 })).toEqual({ kind: 'none' });
    expect(decideNudge({ ...waiting, status: 'in_progress' }, late, POLICY).kind).toBe('nudge');
  });
});

describe('closing on silence under AUTO_CLOSE_POLICY', () => {
  const quiet = {
    status: 'open' as const,
    lastActivityAt: since,
    warningVisibleSince: null,
    warningUndeliverable: false,
  };
  it('any: whoever spoke last; waiting-on-reporter: only the reporter turn', () => {
    expect(closesOnSilence({ turn: 'developers' }, BASE)).toBe(true);
    expect(closesOnSilence({}, BASE)).toBe(true);
    expect(closesOnSilence({ turn: 'developers' }, POLICY)).toBe(false);
    expect(closesOnSilence({ turn: 'reporter' }, POLICY)).toBe(true);
    const next = (moment: Date) => moment;
    expect(decideInactivity({ ...quiet, turn: 'developers' }, later(30 * DAY), POLICY, next)).toEqual({ kind: 'none' });
    expect(decideInactivity({ ...quiet, turn: 'reporter' }, later(30 * DAY), POLICY, next).kind).toBe('warn');
    expect(decideInactivity({ ...quiet, turn: 'developers' }, later(30 * DAY), BASE, next).kind).toBe('warn');
  });
});

describe('settings', () => {
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_SIGNING_SECRET: 's',
    BUG_CHANNELS: 'C0BUGS',
    DEVELOPER_USERS: 'U0DEV',
  };
  it('defaults to any and 2d, takes waiting-on-reporter and 0, and names a bad value', () => {
    expect(loadConfig(env)).toMatchObject({ autoClosePolicy: 'any', developerNudgeAfterMs: 2 * DAY });
    expect(loadConfig({ ...env, AUTO_CLOSE_POLICY: 'waiting-on-reporter', DEVELOPER_NUDGE_AFTER: '0' })).toMatchObject({
      autoClosePolicy: 'waiting-on-reporter',
      developerNudgeAfterMs: 0,
    });
    expect(() => loadConfig({ ...env, AUTO_CLOSE_POLICY: 'never' })).toThrow(
      /AUTO_CLOSE_POLICY must be any or waiting-on-reporter/,
    );
    expect(() => loadConfig({ ...env, DEVELOPER_NUDGE_AFTER: 'soon' })).toThrow(
      /DEVELOPER_NUDGE_AFTER expected a duration/,
    );
  });
});

describe('turn messages', () => {
  const bug = { id: 7, ref: 'BUG-7', reporterId: 'UREP', claimantId: null };
  const asked = new Date('2026-12-01T10:00:00Z');
  const closes = new Date('2026-12-07T10:00:00Z');

  it('the warning of a bug waiting on its reporter says what is awaited, quoted, escaped and cut', () => {
    const warning = buildInactivityWarning({
      bug,
      lastActivityAt: asked,
      closesAt: closes,
      timeZone: 'UTC',
      awaited: { developerId: 'UDEV', text: 'Steps   to\nreproduce <!channel>?', at: asked },
    });
    expect(warning.text).toBe(
      `:hourglass_flowing_sand: <@UREP>, <@UDEV> asked “Steps to reproduce &lt;!channel&gt;?” on ${slackMoment(asked, 'UTC')}; ` +
        `*BUG-7* closes on *${slackMoment(closes, 'UTC')}* unless you reply. A reply here, or *Keep open*, keeps it open.`,
    );
    expect(JSON.stringify(warning.blocks)).toContain('Keep open');
    const long = buildInactivityWarning({
      bug,
      lastActivityAt: asked,
      closesAt: closes,
      timeZone: 'UTC',
      awaited: { developerId: 'UDEV', text: 'x'.repeat(5000), at: asked },
    });
    expect(long.text.length).toBeLessThan(600);
  });

  it('the nudge mentions the claimant, the user group or the developers; its withdrawal says a developer answered', () => {
    const waitingSince = new Date('2026-12-01T09:00:00Z');
    const nudge = (audience: Parameters<typeof buildDeveloperNudge>[0]['audience']) =>
      buildDeveloperNudge({ bug, audience, waitingSince, timeZone: 'UTC' }).text;
    expect(nudge({ kind: 'claimant', userId: 'UCLAIM' })).toMatch(
      /^:bell: <@UCLAIM>, \*BUG-7\* is waiting on developers/,
    );
    expect(nudge({ kind: 'usergroup', usergroupId: 'SDEVS' })).toMatch(/^:bell: <!subteam\^SDEVS>, /);
    expect(nudge({ kind: 'developers', userIds: ['U1', 'U2'] })).toMatch(/^:bell: <@U1> <@U2>, /);
    expect(nudge({ kind: 'developers', userIds: ['U1'] })).toContain(`since ${slackMoment(waitingSince, 'UTC')}`);
    expect(buildNudgeWithdrawn({ bug, at: asked, timeZone: 'UTC' }).text).toBe(
      `:white_check_mark: ~Nudge for *BUG-7*~ No longer applies: a developer answered on ${slackMoment(asked, 'UTC')}.`,
    );
  });

  it('the card shows whose turn it is only when told', () => {
    const card = {
      id: 7,
      ref: 'BUG-7',
      title: 'T',
      status: 'open' as const,
      severity: 'medium' as const,
      reporterId: 'U',
    };
    expect(JSON.stringify(buildBugCard(card).blocks)).not.toContain('Waiting on');
    expect(JSON.stringify(buildBugCard({ ...card, whoseTurn: 'developers' }).blocks)).toContain(
      'Waiting on developers',
    );
    expect(JSON.stringify(buildBugCard({ ...card, whoseTurn: 'reporter' }).blocks)).toContain(
      'Waiting on the reporter',
    );
  });
});

describe('ENGAGEMENT_EXEMPT', () => {
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_SIGNING_SECRET: 's',
    BUG_CHANNELS: 'C0BUGS',
    DEVELOPER_USERS: 'U0DEV',
  };
  it('is off by default, parsed when set, and a bad value is named', () => {
    expect(loadConfig(env).engagementExempt).toBeNull();
    expect(loadConfig({ ...env, ENGAGEMENT_EXEMPT: 'reactions>=3' }).engagementExempt).toEqual({
      reactions: 3,
      reporters: null,
    });
    expect(() => loadConfig({ ...env, ENGAGEMENT_EXEMPT: 'votes>=3' })).toThrow(/ENGAGEMENT_EXEMPT expected/);
  });

  it('an exempt bug is neither warned nor closed, under either policy; the card says whom it affects', () => {
    const quiet = {
      status: 'open' as const,
      lastActivityAt: since,
      warningVisibleSince: null,
      warningUndeliverable: false,
      turn: 'reporter' as const,
    };
    const rule = { reactions: 3, reporters: null };
    const late = later(30 * DAY);
    const next = (moment: Date) => moment;
    const exempt = { reactions: 3, affectedReporters: 0 };
    const below = { reactions: 2, affectedReporters: 5 };
    for (const settings of [BASE, POLICY]) {
      const withRule = { ...settings, engagementExempt: rule };
      expect(decideInactivity({ ...quiet, engagement: exempt }, late, withRule, next)).toEqual({ kind: 'none' });
      expect(decideInactivity({ ...quiet, engagement: below }, late, withRule, next).kind).toBe('warn');
      expect(decideInactivity({ ...quiet, engagement: exempt }, late, settings, next).kind).toBe('warn');
    }
    const card = {
      id: 7,
      ref: 'BUG-7',
      title: 'T',
      status: 'open' as const,
      severity: 'medium' as const,
      reporterId: 'U',
    };
    expect(JSON.stringify(buildBugCard({ ...card, affects: { people: 3, reactions: 0 } }).blocks)).toContain(
      ':busts_in_silhouette: Affects 3 people; not auto-closed',
    );
  });
});
