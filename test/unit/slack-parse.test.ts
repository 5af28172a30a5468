// The zod parsers at the Slack edge (src/slack/parse/) on their own: what they accept, what they refuse, and the
// words people see when a form field is wrong.
import { describe, expect, it } from 'vitest';
import { isCommitOrLink, isCommitSha, storableText, unwrapSlackLink } from '../../src/domain/slack-text.ts';
import { INPUTS } from '../../src/messages/ids.ts';
import { parseMentionCommand } from '../../src/slack/parse/mention-command.ts';
import { readConfirmedClaims, readReportOrigin, readResolveBugId } from '../../src/slack/parse/private-metadata.ts';
import { parseReportSubmission } from '../../src/slack/parse/report-submission.ts';
import { parseResolveSubmission } from '../../src/slack/parse/resolve-submission.ts';
import { channelId, messageTs, userId } from '../../src/slack/parse/slack-ids.ts';
import type { ViewValues } from '../../src/slack/parse/view-state.ts';

const text = (value: string | null) => ({ type: 'plain_text_input', value });

describe('Slack ids', () => {
  it.each(['U0REPORTER1', 'W012AB3CD', 'UBUGSWEEP'])('accepts the user id %s', (id) => {
    expect(userId.safeParse(id).success).toBe(true);
  });
  it.each<unknown>([
    '1.5',
    '12345',
    true,
    {},
    ['U0REPORTER1'],
    `U${'A'.repeat(99_999)}`,
    "'; drop table bug_reports;--",
    'C0CHANNEL',
    'ualice',
    '',
  ])('refuses %j as a user id', (id) => {
    expect(userId.safeParse(id).success).toBe(false);
  });
  it('tells channels and timestamps from other things', () => {
    expect(['CBUGS', 'G0PRIVATE', 'D0HOME'].map((id) => channelId.safeParse(id).success)).toEqual([true, true, true]);
    expect(['UALICE', 'cbugs', 'C'].map((id) => channelId.safeParse(id).success)).toEqual([false, false, false]);
    expect(['1700000000.000100', '1.5'].map((ts) => messageTs.safeParse(ts).success)).toEqual([true, true]);
    expect(['1700000000', '1.5e9', '.5', 1_700_000_000.0001].map((ts) => messageTs.safeParse(ts).success)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('Slack text', () => {
  it('unwraps a link as Slack sends it, with or without a label, and leaves anything else alone', () => {
    expect(unwrapSlackLink('<https://github.com/o/r/pull/42|#42>')).toBe('https://github.com/o/r/pull/42');
    expect(unwrapSlackLink('<https://github.com/o/r/pull/42>')).toBe('https://github.com/o/r/pull/42');
    expect(unwrapSlackLink('1a2b3c4')).toBe('1a2b3c4');
    expect(unwrapSlackLink('<<<|||')).toBe('<<<|||');
  });
  it('knows a commit SHA and a pull request link', () => {
    expect(['1a2b3c4', 'DEADBEEF12', 'a'.repeat(40)].map(isCommitSha)).toEqual([true, true, true]);
    expect(['1a2b3c', 'a'.repeat(41), 'xyz1234'].map(isCommitSha)).toEqual([false, false, false]);
    expect(isCommitOrLink('<https://github.com/o/r/pull/42|#42>')).toBe(true);
    expect(isCommitOrLink('ftp://example.com/x')).toBe(false);
    expect(isCommitOrLink('http://localhost/x')).toBe(false);
  });
  it('stores NUL as U+FFFD and leaves every other character as it is', () => {
    expect(storableText('a\u0000b\u0000')).toBe('a\uFFFDb\uFFFD');
    expect(storableText('plain ✓ text')).toBe('plain ✓ text');
  });
});

describe('mention commands', () => {
  it('reads the action and, for resolve, the note and a trailing commit or link', () => {
    expect(parseMentionCommand('<@UBUGSWEEP> claim')).toEqual({ kind: 'action', action: 'claim', details: {} });
    expect(parseMentionCommand('<@UBUGSWEEP> Resolve fixed the retry loop 1a2b3c4')).toEqual({
      kind: 'action',
      action: 'resolve',
      details: { note: 'fixed the retry loop', link: '1a2b3c4' },
    });
    expect(parseMentionCommand('<@UBUGSWEEP> resolve bumped the timeout <https://github.com/o/r/pull/7|#7>')).toEqual({
      kind: 'action',
      action: 'resolve',
      details: { note: 'bumped the timeout', link: 'https://github.com/o/r/pull/7' },
    });
    expect(parseMentionCommand('<@UBUGSWEEP> escalate customers are blocked')).toEqual({
      kind: 'action',
      action: 'escalate',
      details: { reason: 'customers are blocked' },
    });
  });
  it('asks for a note when resolve has none, and knows no other words', () => {
    expect(parseMentionCommand('<@UBUGSWEEP> resolve 1a2b3c4')).toEqual({ kind: 'missing_note' });
    expect(parseMentionCommand('<@UBUGSWEEP> resolve')).toEqual({ kind: 'missing_note' });
    expect(parseMentionCommand('<@UBUGSWEEP> please fix')).toEqual({ kind: 'unknown' });
    expect(parseMentionCommand('<@UBUGSWEEP>')).toEqual({ kind: 'unknown' });
  });
});

describe('private metadata', () => {
  it('reads what the modals wrote and nothing else', () => {
    expect(readResolveBugId(JSON.stringify({ bugId: 42 }))).toBe(42);
    for (const garbage of [undefined, '', 'not json', '{"bugId":"42"}', '{"bugId":1.5}', 'null', '[]'])
      expect(readResolveBugId(garbage)).toBeNull();
    expect(
      readConfirmedClaims(
        JSON.stringify({
          claims: [
            { bugId: 1, claimantId: 'UDEV' },
            { bugId: 'two', claimantId: 'UDEV' },
            { bugId: 3, claimantId: "'; drop table bug_reports;--" },
            null,
          ],
        }),
      ),
    ).toEqual([{ bugId: 1, claimantId: 'UDEV' }]);
    expect(readConfirmedClaims('{')).toEqual([]);
    const origin = { channelId: 'CRANDOM', ts: '1700000000.000100', threadTs: null, permalink: null, authorId: 'UBOB' };
    expect(readReportOrigin(JSON.stringify({ origin }))).toEqual(origin);
    expect(readReportOrigin(JSON.stringify({ origin: { ...origin, authorId: {} } }))).toBeNull();
    expect(readReportOrigin(JSON.stringify({ origin: { ...origin, permalink: 'javascript:alert(1)' } }))).toBeNull();
  });
});

describe('form fields', () => {
  const report = (values: ViewValues, userId = 'UREPORTER') =>
    parseReportSubmission({ values, privateMetadata: undefined, userId, viewId: 'VREPORT1' });

  it('says what is wrong with each report field, in the words people see', () => {
    const parsed = report({
      [INPUTS.title.block]: { [INPUTS.title.action]: text('x'.repeat(151)) },
      [INPUTS.description.block]: { [INPUTS.description.action]: text('y'.repeat(2801)) },
      [INPUTS.traceId.block]: { [INPUTS.traceId.action]: text('two words') },
      [INPUTS.release.block]: { [INPUTS.release.action]: text('v1.2.3') },
      [INPUTS.severity.block]: {
        [INPUTS.severity.action]: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'Meh' }, value: 'meh' },
        },
      },
    });
    expect(parsed).toEqual({
      ok: false,
      errors: {
        [INPUTS.title.block]: 'Keep the title to 150 characters (it has 151); put the rest in "What happened".',
        [INPUTS.description.block]:
          'That is 2801 characters; 2800 at most. Put long logs in the thread after reporting.',
        [INPUTS.traceId.block]: 'A trace id is one word of at most 128 characters.',
        [INPUTS.release.block]: 'A release is a commit SHA: 7 to 40 hex characters, like 1a2b3c4.',
        [INPUTS.severity.block]: 'Pick a severity.',
      },
    });
    expect(report({})).toEqual({ ok: false, errors: { [INPUTS.title.block]: 'Please give the bug a title.' } });
  });

  it('reads a good report, trimmed, with the release lower-cased', () => {
    expect(
      report({
        [INPUTS.title.block]: { [INPUTS.title.action]: text('  Export fails  ') },
        [INPUTS.release.block]: { [INPUTS.release.action]: text('1A2B3C4') },
      }),
    ).toEqual({
      ok: true,
      viewId: 'VREPORT1',
      value: {
        reporterId: 'UREPORTER',
        title: 'Export fails',
        description: '',
        severity: 'medium',
        traceId: null,
        releaseSha: '1a2b3c4',
        origin: null,
      },
    });
  });

  it('says when the Resolve form lost its bug, over anything else on it', () => {
    const values = { [INPUTS.resolutionNote.block]: { [INPUTS.resolutionNote.action]: text('') } };
    expect(parseResolveSubmission({ values, privateMetadata: '{}', userId: 'UDEV' })).toEqual({
      ok: false,
      errors: {
        [INPUTS.resolutionNote.block]: 'This form lost track of its bug; close it and press Resolve again.',
      },
    });
  });
});
