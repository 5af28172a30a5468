// The legacy import on PostgreSQL: a messy file (good and bad records, aliases, a repeated id, a line that is not
// JSON, a NUL character), exact counts, a re-run that imports nothing, an interrupted run resumed, a dry run that
// writes nothing, a folder, a malformed file that stops at once, and what Slack and the sweep do with imported bugs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app-context.ts';
import { BugEvent, BugReport, BugReportDedup, SlackNotice } from '../../src/db/entities/index.ts';
import { fingerprintReport } from '../../src/domain/fingerprint.ts';
import { importLegacyReports } from '../../src/services/legacy-import/import-legacy.ts';
import { MalformedFileError } from '../../src/services/legacy-import/legacy-files.ts';
import { runSweep } from '../../src/services/sweep/sweep-runner.ts';
import { findBugsByTelemetry } from '../../src/services/telemetry.ts';
import { useTestDatabase } from '../support/database.ts';
import { resetSweepWorld } from '../support/sweep-support.ts';
import { useTestApp } from '../support/test-app.ts';

const db = useTestDatabase();
const t = useTestApp(db);
const dir = mkdtempSync(path.join(os.tmpdir(), 'bugsweep-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => resetSweepWorld(db, t));

function file(name: string, content: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, content);
  return full;
}

const MESSY = [
  {
    id: 'L-1',
    title: 'Checkout crashes',
    severity: 'P1',
    status: 'open',
    reporter: 'U0111',
    created_at: '2024-01-02T10:00:00Z',
  },
  {
    bug_id: 2,
    Summary: 'Login is slow',
    priority: 'minor',
    state: 'In Progress',
    assigned_to: '<@U0222>',
    createdAt: 1_704_189_600,
    updatedAt: '2024-02-01T00:00:00Z',
    trace_id: 'abc123def',
  },
  { id: 'L-3', title: 'No date at all' },
  '{"id": "L-4", title: oops}',
  { id: 'L-5', title: 'Bad fields', severity: 'whatever', release_sha: 'zzz', created: '2024-01-01' },
  { id: 'L-1', title: 'Checkout crashes (reported again)', created_at: '2024-01-03' },
  {
    id: 'L-7',
    title: 'Fixed thing',
    status: 'fixed',
    created: '2023-05-01',
    resolved_at: '2023-05-03',
    description: 'Broke after release sha 1a2b3c4d',
  },
  [1, 2],
  { id: 'L-9', title: 'Nul \u0000 inside', reporter: 'alice@example.com', created: '2024-03-01' },
  { id: 'L-10', subject: 'Cannot reproduce', status: "won't fix", opened_at: '2022-12-01T08:00:00Z' },
];

function jsonLines(records: unknown[]): string {
  return `${records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`;
}

const ctx = () => t.bugsweep.ctx;
const bugs = () => db.orm.em.fork().find(BugReport, {}, { orderBy: { id: 'asc' } });

describe('npm run import on a messy file', () => {
  it('imports the good records, rejects the bad ones with their positions and field errors, and counts exactly', async () => {
    const input = file('messy.jsonl', jsonLines(MESSY));
    const rejectsPath = path.join(dir, 'rejects.jsonl');
    const summary = await importLegacyReports(ctx(), { input, batchSize: 3, rejectsPath });
    expect(summary).toMatchObject({ read: 10, imported: 5, alreadyPresent: 1, rejected: 4, rejectsPath });

    const rejects = readFileSync(rejectsPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rejects.map((r) => [path.basename(r.position), r.legacyId])).toEqual([
      ['messy.jsonl:3', 'L-3'],
      ['messy.jsonl:4', null],
      ['messy.jsonl:5', 'L-5'],
      ['messy.jsonl:8', null],
    ]);
    expect(rejects[0].errors).toEqual([{ field: 'createdAt', message: 'required' }]);
    expect(rejects[1].errors[0].message).toMatch(/^not valid JSON/);
    expect(rejects[2].errors.map((e: { field: string }) => e.field).sort()).toEqual(['releaseSha', 'severity']);
    expect(rejects[3].errors).toEqual([{ field: '(record)', message: 'expected a JSON object' }]);

    const imported = await bugs();
    expect(
      imported.map((b) => [b.legacyId, b.title, b.severity, b.status, b.reporterId, b.claimantId, b.closeReason]),
    ).toEqual([
      ['L-1', 'Checkout crashes', 'high', 'open', 'U0111', null, null],
      ['2', 'Login is slow', 'low', 'in_progress', 'legacy:unknown', 'U0222', null],
      ['L-7', 'Fixed thing', 'medium', 'resolved', 'legacy:unknown', null, null],
      ['L-9', 'Nul \uFFFD inside', 'medium', 'open', 'legacy:alice@example.com', null, null],
      ['L-10', 'Cannot reproduce', 'medium', 'closed', 'legacy:unknown', null, 'manual'],
    ]);
    expect(imported.map((b) => b.ref)).toEqual(imported.map((b) => `BUG-${b.id}`));
    const [first, second, fixed, , closed] = imported;
    expect(first!.createdAt).toEqual(new Date('2024-01-02T10:00:00Z'));
    expect(second!.createdAt).toEqual(new Date(1_704_189_600_000));
    // The last update is the last activity: the bug is as idle as it really is.
    expect(second!.lastActivityAt).toEqual(new Date('2024-02-01T00:00:00Z'));
    expect(second!.claimantLastActivityAt).toEqual(new Date('2024-02-01T00:00:00Z'));
    expect(second!.traceId).toBe('abc123def');
    expect(fixed!.resolvedAt).toEqual(new Date('2023-05-03T00:00:00Z'));
    expect(fixed!.releaseSha).toBe('1a2b3c4d');
    expect(closed!.closedAt).toEqual(new Date('2022-12-01T08:00:00Z'));
    expect(imported.every((b) => b.channelId === '' && b.threadTs === `legacy:${b.legacyId}`)).toBe(true);

    const events = await db.orm.em.fork().find(BugEvent, {}, { orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.bugId, e.eventType, e.actorKind])).toEqual(
      imported.map((b) => [b.id, 'bug.imported', 'system']),
    );
    expect(events[0]!.metadata).toMatchObject({ source: 'legacy_import', legacyId: 'L-1' });
    expect(events[3]!.metadata).toMatchObject({ legacyReporter: 'alice@example.com' });

    // Nothing goes to Slack: imported bugs have no thread.
    expect(await db.orm.em.fork().count(SlackNotice, {})).toBe(0);
    await t.settle();
    expect(t.slackApi.calls).toHaveLength(0);
  });

  it('imports nothing twice when run again, and uses up no bug numbers doing so', async () => {
    const input = file('again.jsonl', jsonLines(MESSY));
    await importLegacyReports(ctx(), { input, batchSize: 4 });
    const before = await bugs();
    const again = await importLegacyReports(ctx(), { input, batchSize: 4 });
    expect(again).toMatchObject({ read: 10, imported: 0, alreadyPresent: 6, rejected: 4 });
    expect(await bugs()).toHaveLength(before.length);
    expect(await db.orm.em.fork().count(BugEvent, {})).toBe(before.length);
    // A new report after the re-runs gets the next number.
    const next = await importLegacyReports(ctx(), {
      input: file('next.json', JSON.stringify({ id: 'L-new', title: 'New one', created: '2024-06-01' })),
    });
    expect(next).toMatchObject({ read: 1, imported: 1 });
    expect((await bugs()).at(-1)!.id).toBe(before.at(-1)!.id + 1);
  });

  it('resumes an interrupted run after its last committed batch, with exact counts', async () => {
    const records: Record<string, string>[] = Array.from({ length: 25 }, (_, i) => ({
      id: `R-${i + 1}`,
      title: `Report ${i + 1}`,
      created: '2024-01-01',
    }));
    records.splice(7, 0, { id: 'R-bad', title: 'no date' });
    const input = file('interrupted.json', JSON.stringify(records));
    const stop = new AbortController();
    const interrupted: AppContext = { ...ctx(), shutdown: stop.signal };
    const first = await importLegacyReports(interrupted, {
      input,
      batchSize: 10,
      // Stopped after the first committed batch (the operator pressed Ctrl-C, the process was stopped).
      onProgress: (progress) => progress.done >= 10 && stop.abort(),
    });
    expect(first).toMatchObject({ read: 26, imported: 9, alreadyPresent: 0, rejected: 1 });
    expect(await bugs()).toHaveLength(9);

    const resumed = await importLegacyReports(ctx(), { input, batchSize: 10 });
    expect(resumed).toMatchObject({ read: 26, imported: 16, alreadyPresent: 9, rejected: 1 });
    const all = await bugs();
    expect(all.map((b) => b.legacyId)).toEqual(records.filter((r) => r.id !== 'R-bad').map((r) => r.id));
  });

  it('a dry run validates and counts everything and writes nothing', async () => {
    const input = file('dry.jsonl', jsonLines(MESSY));
    const rejectsPath = path.join(dir, 'dry-rejects.jsonl');
    const dry = await importLegacyReports(ctx(), { input, dryRun: true, rejectsPath });
    expect(dry).toMatchObject({
      dryRun: true,
      read: 10,
      imported: 5,
      alreadyPresent: 1,
      rejected: 4,
      rejectsPath: null,
    });
    expect(dry.rejections.map((r) => r.legacyId)).toEqual(['L-3', null, 'L-5', null]);
    expect(await bugs()).toHaveLength(0);
    expect(() => readFileSync(rejectsPath)).toThrow();
    // After a real import, a dry run sees what is there already.
    await importLegacyReports(ctx(), { input });
    expect(await importLegacyReports(ctx(), { input, dryRun: true })).toMatchObject({ imported: 0, alreadyPresent: 6 });
  });

  it('reads a folder: arrays, one report per file and JSON lines, in name order; other files are ignored', async () => {
    const folder = mkdtempSync(path.join(dir, 'folder-'));
    writeFileSync(path.join(folder, 'a.json'), JSON.stringify([{ id: 'F-1', title: 'One', created: '2024-01-01' }]));
    writeFileSync(path.join(folder, 'b.json'), JSON.stringify({ id: 'F-2', title: 'Two', created: '2024-01-02' }));
    writeFileSync(path.join(folder, 'c.jsonl'), jsonLines([{ id: 'F-3', title: 'Three', created: '2024-01-03' }]));
    writeFileSync(path.join(folder, 'notes.txt'), 'not a report');
    const summary = await importLegacyReports(ctx(), { input: folder });
    expect(summary).toMatchObject({ read: 3, imported: 3, rejected: 0, rejectsPath: null });
    expect((await bugs()).map((b) => b.legacyId)).toEqual(['F-1', 'F-2', 'F-3']);
  });

  it('never reads its rejects file as input, so re-runs over a folder count the same; nor overwrites an input', async () => {
    const folder = mkdtempSync(path.join(dir, 'with-rejects-'));
    writeFileSync(
      path.join(folder, 'a.jsonl'),
      jsonLines([
        { id: 'W-1', title: 'Fine', created: '2024-01-01' },
        { id: 'W-2', title: 'No date' },
      ]),
    );
    const rejectsPath = path.join(folder, 'rejects.jsonl');
    expect(await importLegacyReports(ctx(), { input: folder, rejectsPath })).toMatchObject({
      read: 2,
      imported: 1,
      rejected: 1,
    });
    for (const dryRun of [false, true]) {
      expect(await importLegacyReports(ctx(), { input: folder, rejectsPath, dryRun })).toMatchObject({
        read: 2,
        imported: 0,
        alreadyPresent: 1,
        rejected: 1,
      });
    }
    const input = path.join(folder, 'a.jsonl');
    const before = readFileSync(input, 'utf8');
    await expect(importLegacyReports(ctx(), { input, rejectsPath: input })).rejects.toThrow(/a\.jsonl is the input/);
    expect(readFileSync(input, 'utf8')).toBe(before);
  });

  it('a file that is not JSON stops at once, naming the file and the position, with nothing written', async () => {
    const folder = mkdtempSync(path.join(dir, 'broken-'));
    writeFileSync(path.join(folder, 'a.json'), JSON.stringify([{ id: 'B-1', title: 'Fine', created: '2024-01-01' }]));
    writeFileSync(path.join(folder, 'b.json'), '[\n  {"id": "B-2", "title": "Fine"},\n  {"id": oops}\n]');
    const failure = await importLegacyReports(ctx(), { input: folder }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MalformedFileError);
    expect((failure as Error).message).toMatch(/b\.json \(line 3, column \d+\) is not valid JSON/);
    expect(await bugs()).toHaveLength(0);

    const csv = file('export.jsonl', 'id,title\n1,Crash\n');
    await expect(importLegacyReports(ctx(), { input: csv })).rejects.toThrow(
      /export\.jsonl \(line 1\) is not valid JSON/,
    );
  });

  it('rejects a record whose text is not UTF-8 instead of importing it garbled; a UTF-16 file stops, saying so', async () => {
    // Saved by an old tool as Latin-1: é is the one byte 0xE9, which is no UTF-8.
    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    const lines = path.join(dir, 'latin1.jsonl');
    writeFileSync(
      lines,
      latin1(
        jsonLines([
          { id: 'E-1', title: 'Plain ASCII is fine', created: '2024-01-01' },
          { id: 'E-2', title: 'Le caf\u00e9 plante', created: '2024-01-01' },
        ]),
      ),
    );
    const array = path.join(dir, 'latin1.json');
    writeFileSync(
      array,
      latin1(
        JSON.stringify([
          { id: 'E-3', title: 'Also fine', created: '2024-01-01' },
          { id: 'E-4', title: 'Gr\u00fc\u00dfe aus K\u00f6ln', created: '2024-01-01' },
        ]),
      ),
    );
    const rejectsPath = path.join(dir, 'encoding-rejects.jsonl');
    for (const [input, position, legacyId] of [
      [lines, 'latin1.jsonl:2', 'E-2'],
      [array, 'latin1.json#2', 'E-4'],
    ] as const) {
      const summary = await importLegacyReports(ctx(), { input, rejectsPath });
      expect(summary).toMatchObject({ read: 2, imported: 1, rejected: 1 });
      expect(summary.rejections.map((r) => [path.basename(r.position), r.legacyId])).toEqual([[position, legacyId]]);
      expect(summary.rejections[0]!.errors[0]!.message).toMatch(/not UTF-8/);
    }
    expect((await bugs()).map((b) => b.legacyId)).toEqual(['E-1', 'E-3']);

    const utf16 = path.join(dir, 'utf16.json');
    const text = JSON.stringify([{ id: 'U-1', title: 'Saved from Excel', created: '2024-01-01' }]);
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    await expect(importLegacyReports(ctx(), { input: utf16 })).rejects.toThrow(/utf16\.json .*not UTF-8/);
  });

  it('fingerprints imported reports and indexes every telemetry id they mention, like reports from Slack', async () => {
    const trace = [
      "TypeError: Cannot read properties of undefined (reading 'total')",
      '    at computeTotal (/srv/app/src/cart/totals.ts:41:17)',
      '    at checkout (/srv/app/src/cart/checkout.ts:88:5)',
    ].join('\n');
    const input = file(
      'signals.jsonl',
      jsonLines([
        { id: 'S-1', title: 'Checkout total crash', description: trace, trace_id: 'tr-111', created: '2024-01-01' },
        {
          id: 'S-2',
          title: 'Looks off',
          description: 'seen with request_id=req-42 and trace_id=tr-222',
          created: '2024-01-02',
        },
        { id: 'S-3', title: 'Just a title', created: '2024-01-03' },
      ]),
    );
    await importLegacyReports(ctx(), { input });
    const [withTrace, withIds, bare] = await bugs();
    expect(withTrace!.fingerprint).toBe(
      fingerprintReport({ title: 'Checkout total crash', description: trace })!.fingerprint,
    );
    expect(bare!.fingerprint).toBeNull();
    const rows = await db.orm.em
      .fork()
      .execute<{ bug_id: number; kind: string; value: string }[]>(
        'select bug_id, kind, value from bug_telemetry order by bug_id, kind, value',
      );
    expect(rows.map((r) => [r.bug_id, r.kind, r.value])).toEqual([
      [withTrace!.id, 'trace_id', 'tr-111'],
      [withIds!.id, 'request_id', 'req-42'],
      [withIds!.id, 'trace_id', 'tr-222'],
    ]);
    // Found the way /bugs find finds any bug; no duplicate group starts at a bug without a Slack thread.
    const found = await findBugsByTelemetry(ctx(), 'tr-222');
    expect(found.ok && found.bugs.map((b) => b.legacyId)).toEqual(['S-2']);
    expect(await db.orm.em.fork().count(BugReportDedup, {})).toBe(0);
  });

  it('the sweep leaves imported bugs without a thread alone, however old and idle they are', async () => {
    await importLegacyReports(ctx(), { input: file('old.jsonl', jsonLines(MESSY)) });
    const run = await runSweep(ctx(), { trigger: 'cli' });
    expect(run).toMatchObject({ kind: 'ran', counts: { warned: 0, closed: 0, reminded: 0, released: 0, failed: 0 } });
    expect((await bugs()).filter((b) => b.warnedAt || b.status === 'closed').map((b) => b.legacyId)).toEqual(['L-10']);
  });
});
