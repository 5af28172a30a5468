import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { parseDuration } from '../../src/domain/duration.ts';

const VALID = {
  SLACK_BOT_TOKEN: 'xoxb-1',
  SLACK_SIGNING_SECRET: 'secret',
  BUG_CHANNELS: 'C0BUGS1, C0BUGS2',
  DEVELOPER_USERS: 'U0DEV1',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(VALID);
    expect(config.bugChannels).toEqual(['C0BUGS1', 'C0BUGS2']);
    expect(config.autoCloseAfterMs).toBe(5 * 86_400_000);
    expect(config.autoCloseWarningMs).toBe(86_400_000);
    expect(config.claimReleaseAfterMs).toBe(7 * 86_400_000);
    expect(config.claimReminderMs).toBe(2 * 86_400_000);
    expect(config.reopenWithinMs).toBe(14 * 86_400_000);
    expect(config.sweep).toMatchObject({ schedule: '0 * * * *', timezone: 'UTC' });
    expect(config.slack).toMatchObject({ socketMode: false, port: 3000, apiUrl: 'https://slack.com/api/' });
    expect(config.database).toMatchObject({ url: undefined, dataDir: '.data' });
    expect(Object.isFrozen(config.slack)).toBe(true);
  });

  it('SLA due times default by severity; BACKLOG_ALERT parses and needs ALERT_CHANNEL', () => {
    const config = loadConfig(VALID);
    expect(config.sla).toEqual({ critical: 4 * 3_600_000, high: 86_400_000, medium: 5 * 86_400_000, low: 0 });
    expect(config.backlogAlert).toEqual([]);
    expect(config.alertChannel).toBeUndefined();
    const alerting = loadConfig({
      ...VALID,
      BACKLOG_ALERT: 'open>50 for 4h, unclaimed>=20 for 1d',
      ALERT_CHANNEL: 'C0ALERT',
    });
    expect(alerting.alertChannel).toBe('C0ALERT');
    expect(alerting.backlogAlert.map((condition) => condition.key)).toEqual([
      'open>50/14400000',
      'unclaimed>=20/86400000',
    ]);
    expect(problemsOf({ ...VALID, BACKLOG_ALERT: 'open>50 for 4h' })).toEqual([
      expect.stringMatching(/^ALERT_CHANNEL is required with BACKLOG_ALERT/),
    ]);
    expect(problemsOf({ ...VALID, BACKLOG_ALERT: 'open over 50', ALERT_CHANNEL: 'C0ALERT' })).toEqual([
      expect.stringMatching(/^BACKLOG_ALERT expected conditions such as "open>50 for 4h"/),
    ]);
    expect(problemsOf({ ...VALID, SLA_HIGH: 'soon', ALERT_CHANNEL: '#alerts' })).toEqual([
      expect.stringMatching(/^SLA_HIGH expected a duration/),
      expect.stringMatching(/^ALERT_CHANNEL must be a Slack channel ID/),
    ]);
  });

  it('uses Socket Mode when an app token is set, and needs no signing secret then', () => {
    const { SLACK_SIGNING_SECRET: _unused, ...rest } = VALID;
    const config = loadConfig({ ...rest, SLACK_APP_TOKEN: 'xapp-1' });
    expect(config.slack.socketMode).toBe(true);
  });

  it('names every bad variable at once, saying what is expected', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      BUG_CHANNELS: 'general',
      AUTO_CLOSE_AFTER: 'five days',
      SWEEP_SCHEDULE: 'every hour',
      SWEEP_TIMEZONE: 'Mars/Olympus',
      PORT: 'eighty',
      DEVELOPER_USERGROUP: 'devs',
    });
    const text = problems.join('\n');
    for (const name of [
      'SLACK_BOT_TOKEN',
      'BUG_CHANNELS',
      'AUTO_CLOSE_AFTER',
      'SWEEP_SCHEDULE',
      'SWEEP_TIMEZONE',
      'PORT',
      'SLACK_SIGNING_SECRET',
      'DEVELOPER_USERGROUP',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/AUTO_CLOSE_AFTER expected a duration like 30s/);
  });

  it('reports a missing token as required', () => {
    const { SLACK_BOT_TOKEN: _unused, ...rest } = VALID;
    expect(problemsOf(rest)).toContainEqual(expect.stringMatching(/^SLACK_BOT_TOKEN is required/));
  });

  it('needs developers from a user list or a user group', () => {
    const { DEVELOPER_USERS: _unused, ...rest } = VALID;
    expect(problemsOf(rest).join()).toContain('DEVELOPER_USERS');
    expect(loadConfig({ ...rest, DEVELOPER_USERGROUP: 'S0DEVS' }).developerUsergroup).toBe('S0DEVS');
  });

  it('refuses a warning period as long as the close window', () => {
    expect(problemsOf({ ...VALID, AUTO_CLOSE_AFTER: '1d', AUTO_CLOSE_WARNING: '1d' }).join()).toContain(
      'AUTO_CLOSE_WARNING',
    );
  });

  it('accepts 0 to disable the warning and the reminder', () => {
    const config = loadConfig({ ...VALID, AUTO_CLOSE_WARNING: '0', CLAIM_REMINDER: '0' });
    expect(config.autoCloseWarningMs).toBe(0);
    expect(config.claimReminderMs).toBe(0);
  });
});

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['12h', 43_200_000],
    ['5d', 432_000_000],
    ['1w', 604_800_000],
    ['1d12h', 129_600_000],
    ['0', 0],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '5', 'five days', '5 days', '-1d', '1.5d'])('rejects %j', (text) =>
    expect(parseDuration(text)).toBeNull(),
  );
});
