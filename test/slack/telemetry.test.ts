// Bugs found by their telemetry: ids stored from reports and replies (all of them, in a side table), and
// `/bugs find` answering privately, through signed requests into the running app. The look-ups are index-backed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BugReport } from '../../src/db/entities/index.ts';
import { createApiToken } from '../../src/services/api-tokens.ts';
import { importLegacyReports } from '../../src/services/legacy-import/import-legacy.ts';
import { useTestDatabase } from '../support/database.ts';
import { sendEvent, sendSlashCommand } from '../support/signed-requests.ts';
import { threadReply, topLevelMessage } from '../support/slack-events.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { slackTs } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);
const { reporter, developer, bystander } = TEST_USERS;

async function report(text: string) {
  const ts = slackTs(t.clock.now());
  expect((await sendEvent(t.baseUrl, topLevelMessage({ user: reporter, ts, text }))).status).toBe(200);
  await t.settle();
  return db.orm.em.fork().findOneOrFail(BugReport, { channelId: TEST_CHANNEL, threadTs: ts });
}

async function find(text: string, userId: string = bystander) {
  const res = await sendSlashCommand(t.baseUrl, { userId, text: `find ${text}` });
  expect(res.status).toBe(200);
  return res.json() as { response_type: string; text: string };
}

const link = (bug: BugReport) =>
  `<https://example.slack.com/archives/${bug.channelId}/p${bug.threadTs.replace('.', '')}|*${bug.ref}*>`;

describe('/bugs find', () => {
  it('finds a bug by any of the trace ids, request ids and release SHAs it mentions, privately', async () => {
    const bug = await report(
      [
        'Payments time out',
        'trace_id=4bf92f3577b34da6a3ce929d0e0e4736 and later trace_id=0af7651916cd43dd8448eb211c80319c',
        'request-id: req-7781 also x-request-id=req-7790',
        'release 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
      ].join('\n'),
    );
    for (const id of ['4bf92f3577b34da6a3ce929d0e0e4736', '0af7651916cd43dd8448eb211c80319c', 'req-7781', 'req-7790']) {
      const answer = await find(id);
      expect(answer.response_type).toBe('ephemeral');
      expect(answer.text).toContain(`*1 bug mentions \`${id}\`*`);
      expect(answer.text).toContain(`${link(bug)} · Open · Payments time out`);
    }
    // A SHA prefix of 7 or more matches the full SHA; 6 is too short to be one.
    expect((await find('9f8e7d6')).text).toContain(link(bug));
    expect((await find('9F8E7D6C5B')).text).toContain(link(bug));
    expect((await find('9f8e7d')).text).toBe('No bug mentions `9f8e7d`.');
  });

  it('a full SHA finds a bug that mentioned a short one; ids from replies count too', async () => {
    const bug = await report('Search is empty after deploy, release 1a2b3c4d');
    expect((await find('1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d')).text).toContain(link(bug));
    await sendEvent(
      t.baseUrl,
      threadReply({
        user: developer,
        ts: slackTs(t.clock.now()),
        threadTs: bug.threadTs,
        text: 'logs say trace_id=feed1234cafe',
      }),
    );
    await t.settle();
    expect((await find('feed1234cafe')).text).toContain(link(bug));
  });

  it('lists every bug that mentions the id, newest first, and says so when none does', async () => {
    const older = await report('Cart empties itself request_id=shared-42');
    t.clock.advance(60_000);
    const newer = await report('Wishlist empties itself request_id=shared-42');
    const answer = (await find('shared-42')).text;
    expect(answer).toContain('*2 bugs mention `shared-42`*');
    expect(answer.indexOf(newer.ref)).toBeLessThan(answer.indexOf(older.ref));
    expect((await find('nothing-like-it-9')).text).toBe('No bug mentions `nothing-like-it-9`.');
    expect((await find('')).text).toContain('Give me a trace id');
  });

  it('names an imported bug that has no Slack thread without a link, in /bugs find and /bugs list', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bugsweep-find-imported-'));
    try {
      const input = path.join(dir, 'old.json');
      const record = {
        id: 'OLD-9',
        title: 'Invoices lose their VAT',
        trace_id: 'c0ffee00c0ffee00',
        reporter: 'U0OLD',
        created: '2024-06-01',
      };
      writeFileSync(input, JSON.stringify([record]));
      const summary = await importLegacyReports(t.bugsweep.ctx, { input });
      expect(summary.rejections).toEqual([]);
      expect(summary.imported).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const imported = await db.orm.em.fork().findOneOrFail(BugReport, { legacyId: 'OLD-9' });
    const found = (await find('c0ffee00c0ffee00')).text;
    expect(found).toContain(`*${imported.ref}* · Open · Invoices lose their VAT`);
    expect(found).not.toContain('archives/');
    const listed = (await sendSlashCommand(t.baseUrl, { userId: bystander, text: 'list open' })).json() as {
      text: string;
    };
    expect(listed.text).toContain(`*${imported.ref}* Invoices lose their VAT`);
    expect(listed.text).not.toContain('archives//');
  });
});

describe("the agent API's telemetry filters", () => {
  it('match as /bugs find does: a release SHA prefix of 7 or more in any case, and a full SHA a shorter one', async () => {
    const created = await createApiToken(t.bugsweep.ctx, { name: 'telemetry-reader', scopes: ['read'] });
    if (!created.ok) throw new Error(created.message);
    const listed = async (query: string) => {
      const res = await fetch(`${t.baseUrl}/api/v1/bug-reports?${query}`, {
        headers: { authorization: `Bearer ${created.token}` },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: { ref: string }[] }).data.map((bug) => bug.ref);
    };
    const full = await report('Refunds stall, release 7e6d5c4b3a29180716f5e4d3c2b1a0987654321f');
    const short = await report('Refund emails missing, release c4d5e6f7a8');
    expect(await listed('release_sha=7e6d5c4')).toEqual([full.ref]);
    expect(await listed('release_sha=7E6D5C4B3A29180716F5E4D3C2B1A0987654321F')).toEqual([full.ref]);
    expect(await listed('release_sha=c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3')).toEqual([short.ref]);
    expect(await listed('release_sha=7e6d5c')).toEqual([]);
  });
});

describe('telemetry look-ups', () => {
  it('are index range scans on bug_telemetry, never a scan of the table', async () => {
    const em = db.orm.em.fork();
    await em.execute(`
      insert into bug_reports (id, ref, title, reporter_id, channel_id, thread_ts, created_at, updated_at, last_activity_at)
      select 100000 + g, 'BUG-' || (100000 + g), 'generated', 'UGEN', 'CGEN', g::text || '.000001', now(), now(), now()
      from generate_series(1, 20000) g`);
    await em.execute(`
      insert into bug_telemetry (bug_id, kind, value)
      select 100000 + g, k.kind, md5(k.kind || g::text) from generate_series(1, 20000) g
      cross join (values ('trace_id'), ('request_id'), ('release_sha')) as k(kind)`);
    await em.execute('analyze bug_telemetry');
    const plan = async (where: string) =>
      (await em.execute<{ 'QUERY PLAN': string }[]>(`explain select bug_id from bug_telemetry where ${where}`))
        .map((row) => row['QUERY PLAN'])
        .join('\n');
    for (const where of [
      `kind = 'trace_id' and value = 'abc123'`,
      `kind = 'request_id' and value = 'req-1'`,
      `kind = 'release_sha' and value like '9f8e7d6%'`,
      `kind = 'release_sha' and value = any(array['1a2b3c4', '1a2b3c4d'])`,
    ]) {
      const text = await plan(where);
      expect(text).toContain('bug_telemetry_lookup_idx');
      expect(text).not.toContain('Seq Scan');
    }
  });
});
