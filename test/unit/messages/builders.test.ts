// Every builder of src/messages/ (the Block Kit helpers, the bug card, thread notices, the report post): ids,
// buttons per status, the words people read, escaping of their own words, and Slack's limits at exactly their lengths.
// One file, so the suite pays one worker start for all of them.
import { describe, expect, it } from 'vitest';
import type { BugStatus } from '../../../src/domain/bug-status.ts';
import type { Transition, UserAction } from '../../../src/domain/lifecycle.ts';
import type { ReportDraft } from '../../../src/domain/report-text.ts';
import {
  actions,
  button,
  capMrkdwn,
  capText,
  context,
  escapeMrkdwn,
  fields,
  header,
  message,
  modalText,
  section,
  textMessage,
} from '../../../src/messages/blocks.ts';
import { type BugCardInput, buildBugCard } from '../../../src/messages/bug-card.ts';
import { ACTIONS, BLOCKS } from '../../../src/messages/ids.ts';
import { buildReportPost } from '../../../src/messages/report-post.ts';
import {
  buildAutoClosedNotice,
  buildAutoReopenedNotice,
  buildClaimReleasedNotice,
  buildClaimReminder,
  buildFiledFromMessageNotice,
  buildInactivityWarning,
  buildReminderCleared,
  buildTransitionNotice,
  buildWarningCleared,
} from '../../../src/messages/thread-notices.ts';
import { asFallback, buttonsOf, overLimits, plainTimesIn, textsOf } from '../../support/block-kit.ts';
import { DAY } from '../../support/test-clock.ts';

// The Block Kit helpers: Slack's limits hold at exactly the documented lengths, with an ellipsis past them.
describe('blocks.ts', () => {
  const longer = (length: number) => 'x'.repeat(length);

  describe('escapeMrkdwn', () => {
    it('escapes &, < and > so user text cannot mention, link or format by accident', () => {
      expect(escapeMrkdwn('<!channel> a < b && c > d <@U123>')).toBe(
        '&lt;!channel&gt; a &lt; b &amp;&amp; c &gt; d &lt;@U123&gt;',
      );
    });
    it('escapes an ampersand first, so text that looks escaped stays what it was', () => {
      expect(escapeMrkdwn('&lt;')).toBe('&amp;lt;');
    });
  });

  describe('capText', () => {
    it('leaves a text of exactly the limit alone', () => {
      expect(capText(longer(24), 24)).toBe(longer(24));
    });
    it('cuts a text one over the limit to the limit, ending in an ellipsis', () => {
      const capped = capText(longer(25), 24);
      expect(capped).toHaveLength(24);
      expect(capped).toBe(`${longer(23)}…`);
    });
    it('never cuts an emoji in half', () => {
      const capped = capText(`${longer(22)}😀😀`, 24);
      expect(capped).toBe(`${longer(22)}…`);
    });
  });

  describe('capMrkdwn', () => {
    it('does not leave half a mention or link behind', () => {
      expect(capMrkdwn(`${longer(10)} <@U0123456789> and more`, 20)).toBe(`${longer(10)} …`);
      expect(capMrkdwn(`${longer(10)} <https://example.com|a link>`, 20)).toBe(`${longer(10)} …`);
    });
    it('does not leave half an escaped character behind', () => {
      expect(capMrkdwn(`${longer(16)}&amp;&amp;`, 20)).toBe(`${longer(16)}…`);
      expect(capMrkdwn(`${longer(12)}&amp;&amp;xx`, 20)).toBe(`${longer(12)}&amp;…`);
    });
  });

  describe('section', () => {
    it('is a mrkdwn section', () => {
      expect(section('*hi*')).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } });
    });
    it('takes 3,000 characters, and cuts the 3,001st with an ellipsis', () => {
      expect(section(longer(3000)).text?.text).toHaveLength(3000);
      const capped = section(longer(3001)).text!.text;
      expect(capped).toHaveLength(3000);
      expect(capped.endsWith('…')).toBe(true);
    });
    it('carries an accessory', () => {
      const accessory = button({ actionId: 'a', label: 'Go' });
      expect(section('x', accessory).accessory).toBe(accessory);
    });
  });

  describe('fields, context and header', () => {
    it('caps each field at 2,000, each context element at 3,000 and a header at 150', () => {
      const f = fields(longer(2000), longer(2001)).fields!;
      expect(f.map((field) => field.text.length)).toEqual([2000, 2000]);
      expect(f[1]!.text.endsWith('…')).toBe(true);
      const c = context(longer(3001)).elements[0] as { text: string };
      expect(c.text).toHaveLength(3000);
      expect(header(longer(150)).text.text).toHaveLength(150);
      expect(header(longer(151)).text.text).toBe(`${longer(149)}…`);
    });
  });

  describe('button and actions', () => {
    it('makes a button with its action id, value and style', () => {
      expect(button({ actionId: 'bug_claim', label: 'Claim', value: '42', style: 'primary' })).toEqual({
        type: 'button',
        action_id: 'bug_claim',
        text: { type: 'plain_text', text: 'Claim' },
        value: '42',
        style: 'primary',
      });
      expect(button({ actionId: 'x', label: 'X' })).toEqual({
        type: 'button',
        action_id: 'x',
        text: { type: 'plain_text', text: 'X' },
      });
    });
    it('caps a label at 75', () => {
      expect(button({ actionId: 'x', label: longer(75) }).text.text).toHaveLength(75);
      expect(button({ actionId: 'x', label: longer(76) }).text.text).toBe(`${longer(74)}…`);
    });
    it('puts buttons in an actions block with its block id', () => {
      const b = button({ actionId: 'x', label: 'X' });
      expect(actions('row:1', [b])).toEqual({ type: 'actions', block_id: 'row:1', elements: [b] });
    });
  });

  describe('modalText', () => {
    it('caps a modal title at 24', () => {
      expect(modalText(longer(24)).text).toHaveLength(24);
      expect(modalText(longer(25)).text).toBe(`${longer(23)}…`);
    });
  });

  describe('message and textMessage', () => {
    it('caps the notification text at 3,000 too', () => {
      expect(message(longer(5000), []).text).toHaveLength(3000);
      const one = textMessage(longer(5000));
      expect(overLimits(one)).toEqual([]);
      expect(one.blocks).toHaveLength(1);
    });
    it('leaves a short text as it is, in the section and in the notification', () => {
      expect(textMessage('hello')).toEqual({
        text: 'hello',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }],
      });
    });
  });
});

// The bug card: what it says, and which buttons each status offers.
describe('bug-card.ts', () => {
  const bug = (overrides: Partial<BugCardInput> = {}): BugCardInput => ({
    id: 42,
    ref: 'BUG-42',
    title: 'Cart total is wrong',
    status: 'open',
    severity: 'high',
    reporterId: 'UREPORTER',
    claimantId: null,
    ...overrides,
  });

  describe('buildBugCard', () => {
    it('names the bug, its status, severity, reporter and claimant', () => {
      const card = buildBugCard(bug({ status: 'in_progress', claimantId: 'UDEV' }));
      expect(card.text).toBe('BUG-42: Cart total is wrong (In progress)');
      expect(textsOf(card.blocks)).toEqual([
        '*BUG-42* · Cart total is wrong',
        '*Status*\n:large_blue_circle: In progress',
        '*Severity*\nhigh',
        '*Reporter*\n<@UREPORTER>',
        '*Claimed by*\n<@UDEV>',
      ]);
    });

    it('says nobody holds an unclaimed bug', () => {
      expect(textsOf(buildBugCard(bug()).blocks)).toContain('*Claimed by*\n_nobody yet_');
    });

    it('names an agent claimant instead of mentioning a user', () => {
      const texts = textsOf(buildBugCard(bug({ status: 'in_progress', claimantId: 'agent:remediation-bot' })).blocks);
      expect(texts).toContain('*Claimed by*\nagent *remediation-bot*');
      expect(texts.join(' ')).not.toContain('<@agent:');
    });

    it.each<[BugStatus, string | null, [string, string | undefined][]]>([
      [
        'open',
        null,
        [
          [ACTIONS.claim, 'primary'],
          [ACTIONS.resolve, undefined],
          [ACTIONS.automationOff, undefined],
        ],
      ],
      [
        'in_progress',
        'UDEV',
        [
          [ACTIONS.release, undefined],
          [ACTIONS.resolve, 'primary'],
          [ACTIONS.automationOff, undefined],
        ],
      ],
      [
        'escalated',
        null,
        [
          [ACTIONS.claim, undefined],
          [ACTIONS.resolve, 'primary'],
          [ACTIONS.automationOff, undefined],
        ],
      ],
      [
        'escalated',
        'UDEV',
        [
          [ACTIONS.release, undefined],
          [ACTIONS.resolve, 'primary'],
          [ACTIONS.automationOff, undefined],
        ],
      ],
      [
        'awaiting_verification',
        'agent:remediation-bot',
        [
          [ACTIONS.verify, 'primary'],
          [ACTIONS.stillBroken, undefined],
        ],
      ],
      ['resolved', 'UDEV', [[ACTIONS.reopen, undefined]]],
      ['closed', null, [[ACTIONS.reopen, undefined]]],
    ])('a %s bug (claimant %s) offers %j', (status, claimantId, expected) => {
      const card = buildBugCard(bug({ status, claimantId }));
      const buttons = buttonsOf(card.blocks);
      expect(buttons.map((b) => [b.action_id, b.style])).toEqual(expected);
      // Every button carries the bug's id, in the card's own block.
      expect(buttons.map((b) => b.value)).toEqual(expected.map(() => '42'));
      expect(card.blocks.find((block) => block.type === 'actions')?.block_id).toBe(BLOCKS.cardActions(42));
    });

    it('labels the buttons as people read them', () => {
      const labels = (status: BugStatus) => buttonsOf(buildBugCard(bug({ status })).blocks).map((b) => b.text.text);
      expect(labels('open')).toEqual(['Claim', 'Resolve', 'No agents']);
      expect(labels('in_progress')).toEqual(['Release', 'Resolve', 'No agents']);
      expect(labels('awaiting_verification')).toEqual(['Verify', 'Still broken']);
      expect(labels('closed')).toEqual(['Reopen']);
    });

    it('escapes the title, so it cannot mention the channel or open a link', () => {
      const card = buildBugCard(bug({ title: '<!channel> total < 0 & <https://evil.example|click>' }));
      const escaped = '&lt;!channel&gt; total &lt; 0 &amp; &lt;https://evil.example|click&gt;';
      expect(card.text).toContain(escaped);
      expect(textsOf(card.blocks)[0]).toBe(`*BUG-42* · ${escaped}`);
    });

    it('stays within Slack limits whatever the title', () => {
      expect(overLimits(buildBugCard(bug({ title: '&'.repeat(5000) })))).toEqual([]);
    });
  });
});

// What bugsweep says in bug threads: the words of each notice, the Keep open button, escaping of people's words,
// and notices that stay within Slack's limits however long the note or reason.
describe('thread-notices.ts', () => {
  const bug = { id: 7, ref: 'BUG-7', reporterId: 'UREPORTER', claimantId: null as string | null };
  const at = new Date('2026-11-24T14:00:00Z');
  const tz = 'UTC';

  const transition = (action: UserAction, extra: Partial<Transition> = {}): Transition => ({
    action,
    from: 'open',
    to: 'open',
    event: 'bug.claimed',
    ...extra,
  });

  /**
   * The one section a plain notice is, and its notification text, which says the same; read as its date tokens'
   * fallbacks (the wording in SWEEP_TIMEZONE), after checking that every time it states is a token.
   */
  function said(notice: { text: string; blocks: unknown[] }): string {
    const [text, ...rest] = textsOf(notice.blocks);
    expect(rest).toEqual([]);
    expect(notice.text).toBe(text);
    expect(plainTimesIn(text!)).toEqual([]);
    return asFallback(text!);
  }

  describe('buildTransitionNotice', () => {
    it('says who did what, for each action', () => {
      expect(said(buildTransitionNotice(bug, transition('claim'), 'UDEV'))).toBe(
        ':raising_hand: <@UDEV> claimed *BUG-7* and is on it.',
      );
      expect(said(buildTransitionNotice({ ...bug, claimantId: 'UDEV' }, transition('release'), 'UDEV'))).toBe(
        ':arrows_counterclockwise: <@UDEV> released *BUG-7*; it is back in the queue for someone to pick up.',
      );
      expect(said(buildTransitionNotice({ ...bug, claimantId: 'UDEV' }, transition('release'), 'UADMIN'))).toBe(
        ":arrows_counterclockwise: <@UADMIN> released <@UDEV>'s claim on *BUG-7*; it is back in the queue.",
      );
      expect(said(buildTransitionNotice(bug, transition('reopen'), 'UREPORTER'))).toContain(
        '<@UREPORTER> reopened *BUG-7*',
      );
      expect(said(buildTransitionNotice(bug, transition('escalate'), 'UADMIN'))).toBe(
        ':rotating_light: <@UADMIN> escalated *BUG-7*. bugsweep will not auto-close it.',
      );
      expect(said(buildTransitionNotice(bug, transition('close', { closeReason: 'withdrawn' }), 'UREPORTER'))).toBe(
        ':wave: <@UREPORTER> withdrew *BUG-7*; it is closed.',
      );
      expect(said(buildTransitionNotice(bug, transition('close', { closeReason: 'manual' }), 'UADMIN'))).toBe(
        ':lock: <@UADMIN> closed *BUG-7*.',
      );
    });

    it('quotes the resolution note, shows the fix and tells the reporter how to reopen', () => {
      const text = said(
        buildTransitionNotice(bug, transition('resolve'), 'UDEV', { note: 'retry loop\nfixed', link: '1A2B3C4D' }),
      );
      expect(text).toBe(
        [
          ':white_check_mark: <@UDEV> resolved *BUG-7*.',
          '>retry loop\n>fixed',
          'Fix: `1a2b3c4d`',
          '<@UREPORTER>, if it is not fixed for you, press *Reopen* on the card.',
        ].join('\n'),
      );
    });

    it('links a fix address safely and escapes one that is not an address', () => {
      const fix = (link: string) =>
        said(buildTransitionNotice(bug, transition('resolve'), 'UDEV', { note: 'n', link })).split('\n')[2];
      expect(fix('https://github.com/org/repo/pull/42')).toBe('Fix: <https://github.com/org/repo/pull/42>');
      expect(fix('see <!here>')).toBe('Fix: see &lt;!here&gt;');
    });

    it('escapes the words people wrote', () => {
      const resolved = said(buildTransitionNotice(bug, transition('resolve'), 'UDEV', { note: '<!channel> a & b' }));
      expect(resolved).toContain('>&lt;!channel&gt; a &amp; b');
      const escalated = said(buildTransitionNotice(bug, transition('escalate'), 'UADMIN', { reason: '<@UCEO> now' }));
      expect(escalated).toContain('escalated *BUG-7*: &lt;@UCEO&gt; now bugsweep will not auto-close it.');
      const closed = said(
        buildTransitionNotice(bug, transition('close', { closeReason: 'manual' }), 'UADMIN', { reason: 'dup <#C1>' }),
      );
      expect(closed).toBe(':lock: <@UADMIN> closed *BUG-7*: dup &lt;#C1&gt;');
    });

    it('cuts a 5,000-character note, not the sentence around it, so Slack takes the notice', () => {
      const notice = buildTransitionNotice(bug, transition('resolve'), 'UDEV', {
        note: 'word '.repeat(1000),
        link: 'https://github.com/org/repo/pull/42',
      });
      expect(overLimits(notice)).toEqual([]);
      const lines = said(notice).split('\n');
      expect(lines[0]).toBe(':white_check_mark: <@UDEV> resolved *BUG-7*.');
      expect(lines[1]!.endsWith('…')).toBe(true);
      expect(lines.slice(-2)).toEqual([
        'Fix: <https://github.com/org/repo/pull/42>',
        '<@UREPORTER>, if it is not fixed for you, press *Reopen* on the card.',
      ]);
      expect(said(notice)).toHaveLength(3000);
    });

    it('cuts a 5,000-character escalation or close reason the same way', () => {
      const reason = '<&>'.repeat(1700);
      const escalated = buildTransitionNotice(bug, transition('escalate'), 'UADMIN', { reason });
      expect(overLimits(escalated)).toEqual([]);
      expect(said(escalated).endsWith('… bugsweep will not auto-close it.')).toBe(true);
      const closed = buildTransitionNotice(bug, transition('close', { closeReason: 'manual' }), 'UADMIN', { reason });
      expect(overLimits(closed)).toEqual([]);
      expect(said(closed).startsWith(':lock: <@UADMIN> closed *BUG-7*: &lt;&amp;&gt;')).toBe(true);
    });
  });

  describe('buildInactivityWarning', () => {
    const warning = buildInactivityWarning({
      bug: { ...bug, claimantId: 'UDEV' },
      lastActivityAt: new Date(at.getTime() - 5 * DAY),
      closesAt: new Date(at.getTime() + 2 * DAY),
      timeZone: tz,
    });

    it('names the reporter and the claimant, when it went quiet and when it closes, in the sweep time zone', () => {
      expect(plainTimesIn(warning.text)).toEqual([]);
      expect(warning.text).toContain('It will be closed on *<!date^1795701600^{date_short_pretty} {time}|');
      expect(asFallback(warning.text)).toBe(
        ':hourglass_flowing_sand: <@UREPORTER> <@UDEV> *BUG-7* has been quiet since Thu 19 Nov, 14:00 UTC. ' +
          'It will be closed on *Thu 26 Nov, 14:00 UTC* unless someone replies here. ' +
          'A reply from the reporter or a developer, or *Keep open*, keeps it open.',
      );
      expect(textsOf(warning.blocks)).toEqual([warning.text]);
    });

    it('has one Keep open button carrying the bug id, in the warning block of that bug', () => {
      expect(buttonsOf(warning.blocks)).toEqual([
        { type: 'button', action_id: ACTIONS.keepOpen, text: { type: 'plain_text', text: 'Keep open' }, value: '7' },
      ]);
      expect(warning.blocks[1]).toMatchObject({ type: 'actions', block_id: BLOCKS.warningActions(7) });
    });

    it('names the reporter once when the reporter holds the claim', () => {
      const own = buildInactivityWarning({
        bug: { ...bug, claimantId: 'UREPORTER' },
        lastActivityAt: at,
        closesAt: at,
        timeZone: tz,
      });
      expect(own.text).toContain(':hourglass_flowing_sand: <@UREPORTER> *BUG-7*');
    });
  });

  describe('buildWarningCleared', () => {
    it.each([
      ['reply', '<@UDEV> replied on Tue 24 Nov, 14:00 UTC'],
      ['keep_open', '<@UDEV> asked to keep it open on Tue 24 Nov, 14:00 UTC'],
      ['claim', '<@UDEV> claimed it on Tue 24 Nov, 14:00 UTC'],
      ['status', 'its status changed on Tue 24 Nov, 14:00 UTC'],
    ] as const)('says why (%s)', (why, reason) => {
      expect(said(buildWarningCleared({ bug, byUserId: 'UDEV', at, why, timeZone: tz }))).toBe(
        `:white_check_mark: ~Inactivity warning for *BUG-7*~ No longer applies: ${reason}. The inactivity clock has started again.`,
      );
    });
    it('says "someone" when nobody is known', () => {
      expect(said(buildWarningCleared({ bug, byUserId: null, at, why: 'reply', timeZone: tz }))).toContain(
        'someone replied',
      );
    });
  });

  describe('buildReminderCleared', () => {
    it.each([
      ['activity', 'Thanks for the update on Tue 24 Nov, 14:00 UTC; the claim stays.'],
      ['released', 'No longer applies: the claim was released.'],
      ['status', 'No longer applies: *BUG-7* is no longer waiting on this claim.'],
    ] as const)('says why (%s)', (why, words) => {
      expect(said(buildReminderCleared({ bug, at, why, timeZone: tz }))).toBe(
        `:white_check_mark: ~Reminder for *BUG-7*~ ${words}`,
      );
    });
  });

  describe('buildAutoClosedNotice', () => {
    const input = { bug, lastActivityAt: new Date(at.getTime() - 14 * DAY), now: at, timeZone: tz };
    it('says how long it was quiet and until when a reply reopens it', () => {
      expect(said(buildAutoClosedNotice({ ...input, reopenWithinMs: 7 * DAY }))).toBe(
        ':zzz: Closed *BUG-7* after 14d without a word from the reporter or a developer (last on Tue 10 Nov, 14:00 UTC).' +
          ' If it still matters, reply here before Tue 1 Dec, 14:00 UTC and it reopens by itself.',
      );
    });
    it('points at Reopen when replies do not reopen', () => {
      expect(said(buildAutoClosedNotice({ ...input, reopenWithinMs: 0 }))).toContain(
        'If it still matters, press *Reopen* on the card.',
      );
    });
  });

  describe('the other thread notices', () => {
    it('auto-reopened: who replied', () => {
      expect(said(buildAutoReopenedNotice(bug, 'UREPORTER'))).toBe(
        ':leftwards_arrow_with_hook: <@UREPORTER> replied, so *BUG-7* is open again and back in the queue.',
      );
    });
    it('claim reminder: quiet since, released when', () => {
      const text = said(
        buildClaimReminder({
          bug,
          claimantId: 'UDEV',
          quietSince: new Date(at.getTime() - 3 * DAY),
          releaseAt: new Date(at.getTime() + DAY),
          timeZone: tz,
        }),
      );
      expect(text).toContain('<@UDEV>, a gentle nudge on *BUG-7*: it has been quiet since Sat 21 Nov, 14:00 UTC.');
      expect(text).toContain('Otherwise it goes back to the queue on Wed 25 Nov, 14:00 UTC');
    });
    it('claim released: by the sweep or by an admin, thanking the claimant', () => {
      const bySweep = said(buildClaimReleasedNotice({ bug, claimantId: 'UDEV', idleMs: 5 * DAY, byAdminId: null }));
      expect(bySweep).toBe(
        ':seedling: *BUG-7* is back in the queue: it has been quiet for 5d, and fresh eyes might help. ' +
          'Thank you <@UDEV> for the time you put in; you are welcome to claim it again any time.',
      );
      const byAdmin = said(buildClaimReleasedNotice({ bug, claimantId: 'UDEV', idleMs: 5 * DAY, byAdminId: 'UADMIN' }));
      expect(byAdmin).toContain(':seedling: <@UADMIN> moved *BUG-7* back to the queue: it has been quiet for 5d');
    });
    it('filed from a message: links the new thread', () => {
      expect(said(buildFiledFromMessageNotice(bug, 'https://example.slack.com/archives/C1/p1'))).toBe(
        ':memo: Filed as *BUG-7*: <https://example.slack.com/archives/C1/p1|follow it here>.',
      );
    });
  });
});

// The post that starts a bug thread for a report made in the modal or from the shortcut.
describe('report-post.ts', () => {
  const draft = (overrides: Partial<ReportDraft> = {}): ReportDraft => ({
    reporterId: 'UREPORTER',
    title: 'Cart total is wrong',
    description: 'Add two items.\nThe total shows one.',
    severity: 'high',
    traceId: null,
    releaseSha: null,
    ...overrides,
  });

  describe('buildReportPost', () => {
    it('credits the reporter and shows the title, the description and the severity', () => {
      const post = buildReportPost(draft());
      expect(post.text).toBe('Bug report from <@UREPORTER>: Cart total is wrong');
      expect(textsOf(post.blocks)).toEqual([
        ':beetle: *Cart total is wrong*\nReported by <@UREPORTER>\nAdd two items.\nThe total shows one.',
        '*Severity:* high',
      ]);
    });

    it('adds the trace id and the release, and where a shortcut report came from', () => {
      const post = buildReportPost(
        draft({
          traceId: 'abc123',
          releaseSha: '1a2b3c4',
          origin: { channelId: 'CGENERAL', ts: '1.2', threadTs: null, permalink: 'https://x/p12', authorId: 'UOTHER' },
        }),
      );
      expect(textsOf(post.blocks)[1]).toBe(
        '*Severity:* high  ·  *Trace:* `abc123`  ·  *Release:* `1a2b3c4`\nReported from <https://x/p12|a message> by <@UOTHER> in <#CGENERAL>.',
      );
    });

    it('escapes the title, description and trace id', () => {
      const post = buildReportPost(draft({ title: '<!channel>', description: 'a < b & c', traceId: '<@U1>' }));
      expect(post.text).toBe('Bug report from <@UREPORTER>: &lt;!channel&gt;');
      const [body, facts] = textsOf(post.blocks);
      expect(body).toBe(':beetle: *&lt;!channel&gt;*\nReported by <@UREPORTER>\na &lt; b &amp; c');
      expect(facts).toContain('*Trace:* `&lt;@U1&gt;`');
    });

    it('stays within Slack limits with the longest description the modal takes, escaped', () => {
      expect(overLimits(buildReportPost(draft({ title: 't'.repeat(150), description: '&'.repeat(2800) })))).toEqual([]);
    });
  });
});
