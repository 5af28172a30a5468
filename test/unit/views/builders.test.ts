// Every builder of src/slack/views/ (modals, App Home, ephemeral answers): callback and block ids from VIEWS and
// INPUTS, private metadata, modal titles Slack accepts, escaping, and Slack's limits with many long titles.
// One file, so the suite pays one worker start for all of them.
import type { InputBlock, PlainTextInput, StaticSelect } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { BugReport, SweepRun, SweepState } from '../../../src/db/entities/index.ts';
import type { Transition, UserAction } from '../../../src/domain/lifecycle.ts';
import { ACTIONS, INPUTS, VIEWS } from '../../../src/messages/ids.ts';
import type { OrphanedClaim } from '../../../src/services/sweep/orphaned-claims.ts';
import type { PreviewEntry, SweepPreview } from '../../../src/services/sweep/sweep-control.ts';
import { buildActionAnswer } from '../../../src/slack/views/action-answer.ts';
import { buildAppHome } from '../../../src/slack/views/app-home.ts';
import { type BugListItem, buildBugList, toBugListItem } from '../../../src/slack/views/bug-list.ts';
import { buildHelpText } from '../../../src/slack/views/help-text.ts';
import { buildReportFiledView, buildReportModal } from '../../../src/slack/views/report-modal.ts';
import { buildResolveModal } from '../../../src/slack/views/resolve-modal.ts';
import {
  buildReleaseClaimsModal,
  buildReleaseDoneView,
  buildSweepPreview,
  buildSweepRunSummary,
  buildSweepStatus,
} from '../../../src/slack/views/sweep-views.ts';
import { asFallback, buttonsOf, overLimits, plainTimesIn, textsOf } from '../../support/block-kit.ts';
import { DAY, HOUR } from '../../support/test-clock.ts';

// The report modal and the view that replaces it once the report is filed.
describe('report-modal.ts', () => {
  const inputs = (view: ReturnType<typeof buildReportModal>) =>
    view.blocks.filter((block): block is InputBlock => block.type === 'input');

  describe('buildReportModal', () => {
    it('is the report modal, with a title, submit and close Slack accepts', () => {
      const view = buildReportModal();
      expect(view).toMatchObject({
        type: 'modal',
        callback_id: VIEWS.reportBug,
        title: { type: 'plain_text', text: 'Report a bug' },
        submit: { type: 'plain_text', text: 'Report' },
        close: { type: 'plain_text', text: 'Cancel' },
      });
      expect(overLimits(view)).toEqual([]);
    });

    it('asks for title, description, severity, trace id and release, under the ids submissions are read by', () => {
      const blocks = inputs(buildReportModal());
      const ids = [INPUTS.title, INPUTS.description, INPUTS.severity, INPUTS.traceId, INPUTS.release];
      expect(blocks.map((block) => [block.block_id, (block.element as { action_id: string }).action_id])).toEqual(
        ids.map((id) => [id.block, id.action]),
      );
      expect(blocks.map((block) => block.optional ?? false)).toEqual([false, true, false, true, true]);
    });

    it('offers every severity, medium unless told otherwise', () => {
      const select = (view: ReturnType<typeof buildReportModal>) =>
        inputs(view).find((block) => block.block_id === INPUTS.severity.block)!.element as StaticSelect;
      expect(select(buildReportModal()).options?.map((option) => option.value)).toEqual([
        'low',
        'medium',
        'high',
        'critical',
      ]);
      expect(select(buildReportModal()).initial_option?.value).toBe('medium');
      expect(select(buildReportModal({ severity: 'critical' })).initial_option).toEqual({
        text: { type: 'plain_text', text: 'Critical' },
        value: 'critical',
      });
    });

    it('prefills from a message and says where it came from, keeping the origin for the submission', () => {
      const origin = {
        channelId: 'CGENERAL',
        ts: '1700000000.000100',
        threadTs: null,
        permalink: 'https://example.slack.com/archives/CGENERAL/p1700000000000100',
        authorId: 'UAUTHOR',
      };
      const view = buildReportModal({ title: 'Checkout fails', description: 'It fails', origin });
      const element = (id: string) => inputs(view).find((block) => block.block_id === id)!.element as PlainTextInput;
      expect(element(INPUTS.title.block).initial_value).toBe('Checkout fails');
      expect(element(INPUTS.description.block)).toMatchObject({ multiline: true, initial_value: 'It fails' });
      expect(textsOf(view.blocks)).toEqual([`From <${origin.permalink}|this message> by <@UAUTHOR>`]);
      expect(JSON.parse(view.private_metadata!)).toEqual({ origin });
    });

    it('without an origin, has no context line and keeps null in its metadata', () => {
      const view = buildReportModal();
      expect(view.blocks[0]!.type).toBe('input');
      expect(JSON.parse(view.private_metadata!)).toEqual({ origin: null });
      expect(inputs(view).every((block) => !('initial_value' in block.element))).toBe(true);
    });
  });

  describe('buildReportFiledView', () => {
    it('says where the bug went', () => {
      const view = buildReportFiledView({ ref: 'BUG-9', title: 'x' }, 'https://example.slack.com/archives/C/p1');
      expect(view).toMatchObject({ type: 'modal', callback_id: `${VIEWS.reportBug}_done` });
      expect(view.title.text).toBe('Bug reported');
      expect(textsOf(view.blocks)).toEqual([
        ':white_check_mark: Filed as *BUG-9*. <https://example.slack.com/archives/C/p1|Follow it in the thread>.',
      ]);
      expect(overLimits(view)).toEqual([]);
    });
  });
});

// The Resolve modal: ids the submission is read by, the bug it is about, and a title Slack accepts.
describe('resolve-modal.ts', () => {
  const bug = { id: 42, ref: 'BUG-42', title: 'Totals < 0 & worse' };

  describe('buildResolveModal', () => {
    it('is the resolve modal of that bug', () => {
      const view = buildResolveModal(bug);
      expect(view).toMatchObject({
        type: 'modal',
        callback_id: VIEWS.resolveBug,
        title: { type: 'plain_text', text: 'Resolve BUG-42' },
        submit: { type: 'plain_text', text: 'Resolve' },
      });
      expect(JSON.parse(view.private_metadata!)).toEqual({ bugId: 42 });
    });

    it('shows the bug with its title escaped', () => {
      expect(textsOf(buildResolveModal(bug).blocks)).toEqual(['*BUG-42* Totals &lt; 0 &amp; worse']);
    });

    it('asks for a note (required) and a fix link (optional) under the ids the submission is read by', () => {
      const inputs = buildResolveModal(bug).blocks.filter((block): block is InputBlock => block.type === 'input');
      expect(
        inputs.map((block) => [block.block_id, (block.element as PlainTextInput).action_id, !!block.optional]),
      ).toEqual([
        [INPUTS.resolutionNote.block, INPUTS.resolutionNote.action, false],
        [INPUTS.resolutionLink.block, INPUTS.resolutionLink.action, true],
      ]);
    });

    it('prefills the note typed after the command', () => {
      const note = buildResolveModal(bug, 'fixed the retry loop').blocks.find(
        (block): block is InputBlock => block.type === 'input',
      )!.element as PlainTextInput;
      expect(note.initial_value).toBe('fixed the retry loop');
    });

    it('keeps the title within 24 characters for the longest bug reference', () => {
      const view = buildResolveModal({ id: 999_999_999, ref: 'BUG-999999999', title: 'x'.repeat(150) });
      expect(view.title.text).toBe('Resolve BUG-999999999');
      expect(overLimits(view)).toEqual([]);
    });
  });
});

// What admins see of the sweep: the preview, the release confirmation and its answer, run summaries and status.
describe('sweep-views.ts', () => {
  const now = new Date('2026-11-24T09:00:00Z');
  const links = {
    threadLinkFor: (bug: { channelId: string; threadTs: string }) => `https://x/${bug.channelId}/${bug.threadTs}`,
    timeZone: 'UTC',
  };

  // Only the fields the builders read; an entity in every other respect does not matter here.
  const bugRow = (n: number, title = `Bug number ${n}`) =>
    ({ id: n, ref: `BUG-${n}`, title, channelId: 'CBUGS', threadTs: `${n}.0`, claimantId: 'UDEV' }) as BugReport;
  const entry = (n: number, title?: string): PreviewEntry => ({
    bug: bugRow(n, title),
    idleMs: 15 * DAY,
    lastActivityAt: new Date(now.getTime() - 15 * DAY),
    when: now,
  });
  const preview = (overrides: Partial<SweepPreview> = {}): SweepPreview => ({
    now,
    stale: [],
    warn: [],
    close: [],
    remind: [],
    release: [],
    truncated: false,
    ...overrides,
  });

  describe('buildSweepPreview', () => {
    it('says so when there is nothing to do', () => {
      const message = buildSweepPreview(preview(), { ...links, paused: false });
      expect(plainTimesIn(message.text)).toEqual([]);
      expect(message.text).toContain('(as of <!date^1795510800^{date_short_pretty} {time}|Tue 24 Nov, 09:00 UTC>)');
      expect(textsOf(message.blocks).map(asFallback)).toEqual([
        '*What the next sweep would do* (as of Tue 24 Nov, 09:00 UTC)',
        'Nothing is stale, and every claim is active. :sparkles:',
      ]);
    });

    it('lists each kind with a count, linking each bug and escaping its title, and says when it is paused', () => {
      const message = buildSweepPreview(preview({ stale: [entry(1, '<!here> broken')], close: [entry(2)] }), {
        ...links,
        paused: true,
      });
      const [head, stale, close] = textsOf(message.blocks);
      expect(head).toContain(':double_vertical_bar: The sweep is paused');
      expect(stale).toContain('*Stale* (1)\n• <https://x/CBUGS/1.0|*BUG-1*> &lt;!here&gt; broken, quiet 15d');
      expect(close).toContain('*Would be closed now* (1)\n• <https://x/CBUGS/2.0|*BUG-2*> quiet 15d');
    });

    it('shows ten lines of a long list and counts the rest, and stays within Slack limits', () => {
      const many = Array.from({ length: 40 }, (_, i) => entry(i + 1, 't'.repeat(150)));
      const message = buildSweepPreview(preview({ stale: many, warn: many, truncated: true }), {
        ...links,
        paused: false,
      });
      // Whole lines only, as many of the first ten as fit in the section; "…and N more" counts the rest.
      const stale = textsOf(message.blocks)[1]!.split('\n');
      const shown = stale.length - 2;
      expect(shown).toBeGreaterThanOrEqual(5);
      expect(shown).toBeLessThanOrEqual(10);
      expect(stale.slice(1, -1).every((line) => line.endsWith('UTC>'))).toBe(true);
      expect(stale.at(-1)).toBe(`• …and ${40 - shown} more`);
      expect(textsOf(message.blocks).at(-1)).toBe('_Only the oldest candidates are shown._');
      expect(overLimits(message)).toEqual([]);
    });
  });

  describe('buildReleaseClaimsModal', () => {
    const claims: OrphanedClaim[] = [
      { bugId: 3, ref: 'BUG-3', title: 'Login <b>', claimantId: 'UDEV', idleMs: 20 * DAY },
      { bugId: 4, ref: 'BUG-4', title: 'Search', claimantId: 'UDEV2', idleMs: 16 * DAY },
    ];

    it('is the release confirmation, carrying the claims it lists', () => {
      const view = buildReleaseClaimsModal(claims);
      expect(view).toMatchObject({ type: 'modal', callback_id: VIEWS.releaseClaims });
      expect([view.title.text, view.submit?.text, view.close?.text]).toEqual([
        'Release quiet claims',
        'Release 2',
        'Cancel',
      ]);
      expect(JSON.parse(view.private_metadata!)).toEqual({
        claims: [
          { bugId: 3, claimantId: 'UDEV' },
          { bugId: 4, claimantId: 'UDEV2' },
        ],
      });
      expect(textsOf(view.blocks)[1]).toBe(
        '• *BUG-3* Login &lt;b&gt;: <@UDEV>, quiet for 20d\n• *BUG-4* Search: <@UDEV2>, quiet for 16d',
      );
    });

    it('stays within Slack limits with many long titles', () => {
      const many = Array.from({ length: 50 }, (_, i) => ({ ...claims[0]!, bugId: i, title: '&'.repeat(150) }));
      expect(overLimits(buildReleaseClaimsModal(many))).toEqual([]);
    });
  });

  describe('buildReleaseDoneView', () => {
    it('counts what was released and names what was left alone', () => {
      const view = buildReleaseDoneView({
        released: [{ bugId: 3, ref: 'BUG-3', title: 't', claimantId: 'UDEV', idleMs: DAY }],
        skipped: [{ ref: 'BUG-4', why: 'the claimant has been active since' }],
      });
      expect(view).toMatchObject({ type: 'modal', callback_id: `${VIEWS.releaseClaims}_done` });
      expect(textsOf(view.blocks)).toEqual([
        ':seedling: 1 claim released back to the queue.\nLeft alone: BUG-4 (the claimant has been active since).',
      ]);
    });
  });

  describe('buildSweepRunSummary', () => {
    const counts = { warned: 1, closed: 2, reminded: 0, released: 3, failed: 0 };
    it('summarises a run, a dry run, a skipped run and a slot another replica took', () => {
      expect(
        buildSweepRunSummary({ kind: 'ran', runId: 1, dryRun: false, counts, items: [], budgetExhausted: true }),
      ).toBe(
        'Sweep done: warned 1 · closed 2 · reminded 0 · released 3. The per-run budget ran out; the next run continues.',
      );
      expect(
        buildSweepRunSummary({ kind: 'ran', runId: 1, dryRun: true, counts, items: [], budgetExhausted: false }),
      ).toBe('Dry run (nothing changed, nothing posted): would have warned 1 · closed 2 · reminded 0 · released 3.');
      expect(buildSweepRunSummary({ kind: 'skipped', runId: 2, reason: 'paused' })).toBe(
        'The sweep did not run: paused.',
      );
      expect(buildSweepRunSummary({ kind: 'slot_taken' })).toBe('Another replica is running this sweep.');
    });
  });

  describe('buildSweepStatus', () => {
    const run = {
      trigger: 'admin',
      triggeredBy: 'UADMIN',
      status: 'completed',
      dryRun: true,
      startedAt: now,
      warned: 1,
      closed: 0,
      reminded: 0,
      released: 0,
      failed: 2,
    } as SweepRun;

    it('says whether it is paused, by whom and why (escaped), when it runs next and how the last runs went', () => {
      const state = { paused: true, pausedBy: 'UADMIN', pausedAt: now, pauseNote: 'release <freeze>' } as SweepState;
      const message = buildSweepStatus({ state, runs: [run], nextRun: now, timeZone: 'UTC', schedule: '0 * * * *' });
      expect(plainTimesIn(message.text)).toEqual([]);
      expect(message.text).toContain('Next scheduled run: <!date^1795510800^{date_short_pretty} {time}|Tue 24 Nov');
      expect(asFallback(message.text)).toBe(
        [
          ':double_vertical_bar: *Paused* by <@UADMIN> on Tue 24 Nov, 09:00 UTC: release &lt;freeze&gt;',
          'Next scheduled run: Tue 24 Nov, 09:00 UTC (`0 * * * *`, UTC), skipped while paused.',
          '*Last runs*\n• Tue 24 Nov, 09:00 UTC · admin <@UADMIN> · dry run · completed: warned 1 · closed 0 · reminded 0 · released 0 · failed 2',
        ].join('\n'),
      );
      expect(textsOf(message.blocks)).toEqual([message.text]);
    });

    it('says it runs on schedule, and that there were no runs yet', () => {
      const state = { paused: false } as SweepState;
      const message = buildSweepStatus({ state, runs: [], nextRun: null, timeZone: 'UTC', schedule: '0 * * * *' });
      expect(message.text).toBe(':arrow_forward: *Running on schedule*\n_No runs yet._');
    });
  });
});

// The App Home tab: a home view with the Report button and three lists.
describe('app-home.ts', () => {
  const now = new Date('2026-11-24T09:00:00Z');
  const item = (n: number, title = `Bug ${n}`): BugListItem => ({
    ref: `BUG-${n}`,
    title,
    status: 'in_progress',
    claimantId: 'UDEV',
    lastActivityAt: new Date(now.getTime() - 3 * HOUR),
    permalink: `https://x/p${n}`,
  });
  const empty = { claimed: [], reported: [], unclaimed: [], now, autoCloseAfterMs: 14 * 24 * HOUR };

  describe('buildAppHome', () => {
    it('is a home view whose one button opens the report modal', () => {
      const view = buildAppHome(empty);
      expect(view.type).toBe('home');
      expect(buttonsOf(view.blocks)).toEqual([
        {
          type: 'button',
          action_id: ACTIONS.homeReport,
          text: { type: 'plain_text', text: 'Report a bug' },
          style: 'primary',
        },
      ]);
    });

    it('has the three parts with their headers, and says when each is empty', () => {
      const texts = textsOf(buildAppHome(empty).blocks);
      expect(texts[0]).toContain('for 14d is warned, then closed.');
      expect(texts.slice(1)).toEqual([
        'Your claims',
        '_You hold no bugs right now._',
        'Your open reports',
        '_Nothing you reported is open._',
        'Waiting for someone',
        '_Every open bug has someone on it._',
        '`/bugs help` lists everything you can do.',
      ]);
    });

    it('lists bugs with a link, the escaped title, the status and how long they have been quiet', () => {
      const texts = textsOf(buildAppHome({ ...empty, claimed: [item(1, 'a <b> & c'), item(2)] }).blocks);
      expect(texts[2]).toBe(
        '<https://x/p1|*BUG-1*> a &lt;b&gt; &amp; c · In progress · quiet 3h\n<https://x/p2|*BUG-2*> Bug 2 · In progress · quiet 3h',
      );
    });

    it('stays within Slack limits with many long titles', () => {
      const many = Array.from({ length: 10 }, (_, i) => item(i, '&'.repeat(150)));
      expect(overLimits(buildAppHome({ ...empty, claimed: many, reported: many, unclaimed: many }))).toEqual([]);
    });
  });
});

// The /bugs list answer: one line per bug, a count, and what to say when there is nothing.
describe('bug-list.ts', () => {
  const now = new Date('2026-11-24T09:00:00Z');
  const bug = (n: number, overrides: { title?: string; claimantId?: string | null } = {}) =>
    toBugListItem(
      {
        ref: `BUG-${n}`,
        title: overrides.title ?? `Bug ${n}`,
        status: 'open',
        claimantId: overrides.claimantId ?? null,
        lastActivityAt: new Date(now.getTime() - 2 * HOUR),
        channelId: 'CBUGS',
        threadTs: `${n}.0`,
      },
      (bug) => `https://x/${bug.channelId}/${bug.threadTs}`,
    );

  describe('buildBugList', () => {
    it.each([
      ['open', 'No open bugs. :tada:'],
      ['mine', 'No mine bugs. :tada:'],
      ['claimed', 'No claimed bugs. :tada:'],
      ['all', 'No bugs yet.'],
    ])('says so when there are no %s bugs', (filter, words) => {
      const message = buildBugList({ filter, items: [], total: 0, now });
      expect(message.text).toBe(words);
      expect(textsOf(message.blocks)).toEqual([words]);
    });

    it('counts the bugs and gives each a link, its escaped title, status, claimant and quiet time', () => {
      const message = buildBugList({
        filter: 'open',
        items: [bug(1, { title: '<!channel> & more' }), bug(2, { claimantId: 'UDEV' })],
        total: 2,
        now,
      });
      expect(message.text).toBe(
        [
          '*2 open bugs*',
          '<https://x/CBUGS/1.0|*BUG-1*> &lt;!channel&gt; &amp; more',
          '      Open · unclaimed · last reply from reporter/developer 2h ago',
          '<https://x/CBUGS/2.0|*BUG-2*> Bug 2',
          '      Open · <@UDEV> · last reply from reporter/developer 2h ago',
        ].join('\n'),
      );
      expect(textsOf(message.blocks)).toEqual([message.text]);
    });

    it('says how many more there are, and stays within Slack limits with twenty long titles', () => {
      const items = Array.from({ length: 20 }, (_, i) => bug(i, { title: '&'.repeat(150) }));
      const message = buildBugList({ filter: 'all', items, total: 25, now });
      expect(message.text.startsWith('*25 bugs*')).toBe(true);
      expect(overLimits(message)).toEqual([]);
      expect(textsOf(message.blocks)[0]!.endsWith('…')).toBe(true);
      expect(buildBugList({ filter: 'all', items: [bug(1)], total: 3, now }).text).toContain('\n…and 2 more.');
    });
  });
});

// Short ephemeral answers: the answer to a lifecycle action, and /bugs help.
describe('action-answer.ts and help-text.ts', () => {
  const bug = { ref: 'BUG-5' } as BugReport;
  const done = (action: UserAction, to: Transition['to'], extra: Partial<Transition> = {}) =>
    buildActionAnswer(
      { ok: true, bug, transition: { action, from: 'open', to, event: 'bug.claimed', ...extra } },
      'https://x/p5',
    );

  describe('buildActionAnswer', () => {
    it('says what happened, linking the bug, with its new status', () => {
      expect(done('claim', 'in_progress')).toBe(
        'Done: you claimed <https://x/p5|*BUG-5*>. It is yours until you resolve or release it. (In progress)',
      );
      expect(done('release', 'open')).toBe('Done: <https://x/p5|*BUG-5*> is back in the queue. (Open)');
      expect(done('escalate', 'escalated')).toBe(
        'Done: <https://x/p5|*BUG-5*> is escalated; the sweep leaves it alone. (Escalated)',
      );
      expect(done('close', 'closed', { closeReason: 'withdrawn' })).toBe(
        'Done: <https://x/p5|*BUG-5*> is closed as withdrawn. (Closed)',
      );
    });

    it('names the bug without a link when there is none, and passes a refusal on as it is', () => {
      expect(
        buildActionAnswer(
          { ok: true, bug, transition: { action: 'reopen', from: 'closed', to: 'open', event: 'bug.reopened' } },
          null,
        ),
      ).toBe('Done: *BUG-5* is open again. (Open)');
      expect(
        buildActionAnswer({ ok: false, bug, refusal: { kind: 'forbidden', message: 'Only developers can…' } }, null),
      ).toBe('Only developers can…');
    });
  });

  describe('buildHelpText', () => {
    const entries = [
      { usage: 'list', summary: 'list bugs', adminOnly: false },
      { usage: 'stale', summary: 'preview the sweep', adminOnly: true },
    ];
    it('lists admin subcommands only to admins, marked as such', () => {
      expect(buildHelpText(entries, false)).toBe(
        '*bugsweep* keeps bug threads from going stale. Commands:\n• `/bugs help` this list\n• `/bugs list` list bugs',
      );
      expect(buildHelpText(entries, true)).toContain('• `/bugs stale` preview the sweep _(admin)_');
    });
  });
});
