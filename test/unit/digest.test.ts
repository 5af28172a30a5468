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
  toWarn: none,
  toClose: none,
  orphaned: none,
  appHome: '<@UBOT>',
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
      quietMs: 0,
    }));
    const digest = buildDigest({
      ...EMPTY,
      waiting: { items: many, total: 40 },
      toWarn: { items: many, total: 40 },
      toClose: { items: many, total: 40 },
      orphaned: { items: many, total: 40 },
    })!;
    expect(digest.blocks.length).toBeLessThanOrEqual(50);
    const text = JSON.stringify(digest.blocks);
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt; &amp; ');
    expect(text.match(/…and 32 more: see App Home of <@UBOT>/g)).toHaveLength(4);
  });
});
