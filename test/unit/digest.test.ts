import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { buildDigest, type DigestInput } from '../../src/messages/digest.ts';

const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', BUG_CHANNELS: 'C0BUGS', DEVELOPER_USERS: 'U0DEV' };
const now = new Date('2026-12-02T09:00:00Z');
const none = { items: [], total: 0 };
const EMPTY: DigestInput = {
  now,
  timeZone: 'UTC',
  waiting: none,
  breached: none,
  toWarn: none,
  toClose: none,
  orphaned: none,
  appHome: 'App Home of <@UBOT>',
};

describe('digest settings', () => {
  it('off by default; both or neither; a bad schedule or channel is named', () => {
    expect(loadConfig(env).digest).toBeNull();
    expect(loadConfig({ ...env, DIGEST_SCHEDULE: '0 9 * * 1-5', DIGEST_CHANNEL: 'C0DIGEST' }).digest).toEqual({
      schedule: '0 9 * * 1-5',
      channelId: 'C0DIGEST',
    });
    expect(() => loadConfig({ ...env, DIGEST_CHANNEL: 'C0DIGEST' })).toThrow(
      /DIGEST_SCHEDULE and DIGEST_CHANNEL go together/,
    );
    expect(() => loadConfig({ ...env, DIGEST_SCHEDULE: 'daily', DIGEST_CHANNEL: 'C0DIGEST' })).toThrow(
      /DIGEST_SCHEDULE expected a cron expression/,
    );
    expect(() => loadConfig({ ...env, DIGEST_SCHEDULE: '0 9 * * *', DIGEST_CHANNEL: '#bugs' })).toThrow(
      /DIGEST_CHANNEL must be a Slack channel ID/,
    );
  });
});

describe('buildDigest', () => {
  it('is nothing when every list is empty', () => {
    expect(buildDigest(EMPTY)).toBeNull();
  });

  it('escapes titles, stays within 50 blocks however long the lists are', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      id: i + 1,
      ref: `BUG-${i + 1}`,
      title: `<!channel> & ${'x'.repeat(500)}`,
      permalink: null,
      claimantId: null,
      since: new Date(now.getTime() - 3_600_000),
      closesAt: null,
      dueAt: new Date(now.getTime() - 3_600_000),
      quietMs: 0,
    }));
    const digest = buildDigest({
      ...EMPTY,
      waiting: { items: many, total: 40 },
      breached: { items: many, total: 40 },
      toWarn: { items: many, total: 40 },
      toClose: { items: many, total: 40 },
      orphaned: { items: many, total: 40 },
    })!;
    expect(digest.blocks.length).toBeLessThanOrEqual(50);
    const text = JSON.stringify(digest.blocks);
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt; &amp; ');
    expect(text.match(/…and 33 more: see App Home of <@UBOT>/g)).toHaveLength(5);
  });

  it('lists SLA-breached bugs with their due time, how long overdue and who holds them; Claim on the unclaimed', () => {
    const breachedBug = (id: number, dueHoursAgo: number, claimantId: string | null) => ({
      id,
      ref: `BUG-${id}`,
      title: `Breach ${id}`,
      permalink: `https://x/${id}`,
      claimantId,
      dueAt: new Date(now.getTime() - dueHoursAgo * 3_600_000),
    });
    const digest = buildDigest({
      ...EMPTY,
      breached: { items: [breachedBug(4, 50, null), breachedBug(9, 3, 'UDEV')], total: 2 },
    })!;
    expect(digest.text).toBe(
      'Bug digest: 0 waiting on developers, 2 past SLA due, 0 to be warned, 0 to be closed, 0 orphaned claims',
    );
    const sections = digest.blocks.filter((block) => block.type === 'section') as {
      text: { text: string };
      accessory?: { action_id: string; value: string };
    }[];
    expect(sections.map((block) => block.text.text)).toEqual([
      '*Past their SLA due time* (2)',
      `*<https://x/4|BUG-4>* Breach 4\nwas due <!date^${(now.getTime() - 50 * 3_600_000) / 1000}^{date_short_pretty} {time}|Mon 30 Nov, 07:00 UTC>, 2d 2h overdue · _unclaimed_`,
      `*<https://x/9|BUG-9>* Breach 9\nwas due <!date^${(now.getTime() - 3 * 3_600_000) / 1000}^{date_short_pretty} {time}|Wed 2 Dec, 06:00 UTC>, 3h overdue · <@UDEV>`,
    ]);
    expect(sections.map((block) => block.accessory?.value)).toEqual([undefined, '4', undefined]);
  });

  it('"and N more" links to App Home', () => {
    const many = Array.from({ length: 9 }, (_, i) => ({
      id: i + 1,
      ref: `BUG-${i + 1}`,
      title: `Bug ${i + 1}`,
      permalink: null,
      claimantId: 'UDEV',
      since: now,
    }));
    const digest = buildDigest({
      ...EMPTY,
      waiting: { items: many, total: 12 },
      appHome: '<slack://app?team=T1&id=A1&tab=home|App Home>',
    })!;
    expect(JSON.stringify(digest.blocks)).toContain('…and 5 more: see <slack://app?team=T1&id=A1&tab=home|App Home>.');
  });
});
