// The lifecycle rules as a table: (status, action, who) → the transition it makes, or the refusal it gets.
import { describe, expect, it } from 'vitest';
import { actorKindOf, type BugEventType } from '../../src/domain/bug-event-types.ts';
import { BUG_STATUSES, type BugStatus, type CloseReason } from '../../src/domain/bug-status.ts';
import {
  type Actor,
  decideKeepOpen,
  decideTransition,
  type KeepOpenBug,
  type LifecycleBug,
  type Refusal,
  restartsInactivityClock,
  statusTimestamps,
  USER_ACTIONS,
  type UserAction,
} from '../../src/domain/lifecycle.ts';
import { DAY } from '../support/test-clock.ts';

const REF = 'BUG-42';
const REPORTER = 'UREPORTER';
const CLAIMANT = 'UCLAIMANT';

type Who = 'reporter' | 'developer' | 'claimant' | 'admin' | 'bystander';

const ACTORS: Record<Who, Actor> = {
  reporter: { id: REPORTER, isDeveloper: false, isAdmin: false },
  developer: { id: 'UDEVELOPER', isDeveloper: true, isAdmin: false },
  claimant: { id: CLAIMANT, isDeveloper: true, isAdmin: false },
  admin: { id: 'UADMIN', isDeveloper: false, isAdmin: true },
  bystander: { id: 'UBYSTANDER', isDeveloper: false, isAdmin: false },
};

function bug(status: BugStatus, claimantId: string | null = null): LifecycleBug {
  return { ref: REF, status, reporterId: REPORTER, claimantId };
}

type Allowed = { to: BugStatus; event: BugEventType; claimant?: string | null; closeReason?: CloseReason };
type Refused = { refused: Refusal['kind']; says: string };

type Row = [from: BugStatus, claimant: string | null, action: UserAction, who: Who, expected: Allowed | Refused];

const ROWS: Row[] = [
  // claim
  ['open', null, 'claim', 'developer', { to: 'in_progress', event: 'bug.claimed', claimant: 'UDEVELOPER' }],
  ['open', null, 'claim', 'admin', { to: 'in_progress', event: 'bug.claimed', claimant: 'UADMIN' }],
  ['escalated', null, 'claim', 'developer', { to: 'escalated', event: 'bug.claimed', claimant: 'UDEVELOPER' }],
  [
    'in_progress',
    CLAIMANT,
    'claim',
    'developer',
    { refused: 'invalid', says: `${REF} is already claimed by <@${CLAIMANT}>` },
  ],
  [
    'escalated',
    CLAIMANT,
    'claim',
    'admin',
    { refused: 'invalid', says: `${REF} is already claimed by <@${CLAIMANT}>` },
  ],
  ['in_progress', CLAIMANT, 'claim', 'claimant', { refused: 'noop', says: `You already have ${REF}` }],
  ['resolved', null, 'claim', 'developer', { refused: 'invalid', says: `${REF} is resolved. Reopen it first` }],
  ['closed', null, 'claim', 'developer', { refused: 'invalid', says: `${REF} is closed. Reopen it first` }],
  ['open', null, 'claim', 'reporter', { refused: 'forbidden', says: `Only developers can claim bugs. ${REF}` }],
  ['open', null, 'claim', 'bystander', { refused: 'forbidden', says: `Only developers can claim bugs. ${REF}` }],

  // release
  ['in_progress', CLAIMANT, 'release', 'claimant', { to: 'open', event: 'bug.released', claimant: null }],
  ['escalated', CLAIMANT, 'release', 'claimant', { to: 'escalated', event: 'bug.released', claimant: null }],
  [
    'in_progress',
    CLAIMANT,
    'release',
    'developer',
    { refused: 'forbidden', says: `${REF} is claimed by <@${CLAIMANT}>; only they or an admin can release it` },
  ],
  [
    'in_progress',
    CLAIMANT,
    'release',
    'reporter',
    { refused: 'forbidden', says: `${REF} is claimed by <@${CLAIMANT}>` },
  ],
  [
    'in_progress',
    CLAIMANT,
    'release',
    'bystander',
    { refused: 'forbidden', says: `${REF} is claimed by <@${CLAIMANT}>` },
  ],
  ['in_progress', CLAIMANT, 'release', 'admin', { to: 'open', event: 'bug.released', claimant: null }],
  ['escalated', CLAIMANT, 'release', 'admin', { to: 'escalated', event: 'bug.released', claimant: null }],
  ['open', null, 'release', 'developer', { refused: 'noop', says: `Nobody has claimed ${REF}` }],
  ['open', null, 'release', 'admin', { refused: 'noop', says: `Nobody has claimed ${REF}` }],

  // resolve
  ['open', null, 'resolve', 'developer', { to: 'resolved', event: 'bug.resolved' }],
  ['in_progress', CLAIMANT, 'resolve', 'claimant', { to: 'resolved', event: 'bug.resolved' }],
  ['in_progress', CLAIMANT, 'resolve', 'developer', { to: 'resolved', event: 'bug.resolved' }],
  ['escalated', null, 'resolve', 'admin', { to: 'resolved', event: 'bug.resolved' }],
  [
    'open',
    null,
    'resolve',
    'reporter',
    { refused: 'forbidden', says: `If ${REF} is no longer a problem for you, \`close\` it as withdrawn` },
  ],
  ['open', null, 'resolve', 'bystander', { refused: 'forbidden', says: 'Only developers can resolve bugs' }],
  ['resolved', null, 'resolve', 'developer', { refused: 'noop', says: `${REF} is already resolved` }],
  ['closed', null, 'resolve', 'admin', { refused: 'noop', says: `${REF} is already closed` }],

  // reopen
  ['resolved', null, 'reopen', 'reporter', { to: 'open', event: 'bug.reopened', claimant: null }],
  ['closed', null, 'reopen', 'reporter', { to: 'open', event: 'bug.reopened', claimant: null }],
  ['resolved', CLAIMANT, 'reopen', 'developer', { to: 'open', event: 'bug.reopened', claimant: null }],
  ['closed', null, 'reopen', 'admin', { to: 'open', event: 'bug.reopened', claimant: null }],
  [
    'resolved',
    null,
    'reopen',
    'bystander',
    { refused: 'forbidden', says: `Only the reporter or a developer can reopen ${REF}` },
  ],
  ['open', null, 'reopen', 'reporter', { refused: 'noop', says: `${REF} is open, not resolved or closed` }],
  [
    'in_progress',
    CLAIMANT,
    'reopen',
    'developer',
    { refused: 'noop', says: `${REF} is in progress, not resolved or closed` },
  ],
  ['escalated', null, 'reopen', 'admin', { refused: 'noop', says: `${REF} is escalated, not resolved or closed` }],

  // escalate
  ['open', null, 'escalate', 'admin', { to: 'escalated', event: 'bug.escalated' }],
  ['in_progress', CLAIMANT, 'escalate', 'admin', { to: 'escalated', event: 'bug.escalated' }],
  ['open', null, 'escalate', 'developer', { refused: 'forbidden', says: `Only bugsweep admins can escalate ${REF}` }],
  ['open', null, 'escalate', 'reporter', { refused: 'forbidden', says: `Only bugsweep admins can escalate ${REF}` }],
  [
    'in_progress',
    CLAIMANT,
    'escalate',
    'claimant',
    { refused: 'forbidden', says: `Only bugsweep admins can escalate ${REF}` },
  ],
  ['escalated', null, 'escalate', 'admin', { refused: 'noop', says: `${REF} is already escalated` }],
  [
    'resolved',
    null,
    'escalate',
    'admin',
    { refused: 'invalid', says: `${REF} is resolved. Reopen it before escalating` },
  ],
  ['closed', null, 'escalate', 'admin', { refused: 'invalid', says: `${REF} is closed. Reopen it before escalating` }],

  // close
  ['open', null, 'close', 'admin', { to: 'closed', event: 'bug.closed', closeReason: 'manual' }],
  ['in_progress', CLAIMANT, 'close', 'admin', { to: 'closed', event: 'bug.closed', closeReason: 'manual' }],
  ['escalated', null, 'close', 'admin', { to: 'closed', event: 'bug.closed', closeReason: 'manual' }],
  ['resolved', null, 'close', 'admin', { to: 'closed', event: 'bug.closed', closeReason: 'manual' }],
  ['open', null, 'close', 'reporter', { to: 'closed', event: 'bug.withdrawn', closeReason: 'withdrawn' }],
  ['in_progress', CLAIMANT, 'close', 'reporter', { to: 'closed', event: 'bug.withdrawn', closeReason: 'withdrawn' }],
  ['resolved', null, 'close', 'reporter', { refused: 'noop', says: `${REF} is already resolved` }],
  [
    'open',
    null,
    'close',
    'bystander',
    { refused: 'forbidden', says: `Only the reporter (to withdraw it) or a bugsweep admin can close ${REF}` },
  ],
  ['open', null, 'close', 'developer', { refused: 'forbidden', says: `can close ${REF}` }],
  ['in_progress', CLAIMANT, 'close', 'claimant', { refused: 'forbidden', says: `can close ${REF}` }],
  ['closed', null, 'close', 'admin', { refused: 'noop', says: `${REF} is already closed` }],
  ['closed', null, 'close', 'reporter', { refused: 'noop', says: `${REF} is already closed` }],
];

describe('decideTransition', () => {
  it.each(ROWS)('%s (claimant %s): %s by the %s', (from, claimantId, action, who, expected) => {
    const decision = decideTransition(bug(from, claimantId), action, ACTORS[who]);
    if ('refused' in expected) {
      expect(decision.ok).toBe(false);
      if (decision.ok) return;
      expect(decision.refusal.kind).toBe(expected.refused);
      expect(decision.refusal.message).toContain(expected.says);
      return;
    }
    expect(decision).toEqual({
      ok: true,
      transition: {
        action,
        from,
        to: expected.to,
        event: expected.event,
        ...('claimant' in expected ? { claimant: expected.claimant } : {}),
        ...(expected.closeReason ? { closeReason: expected.closeReason } : {}),
      },
    });
  });

  it('names the bug in every refusal', () => {
    for (const status of BUG_STATUSES) {
      for (const claimantId of [null, CLAIMANT]) {
        for (const action of USER_ACTIONS) {
          for (const who of Object.keys(ACTORS) as Who[]) {
            const decision = decideTransition(bug(status, claimantId), action, ACTORS[who]);
            if (decision.ok) continue;
            expect(decision.refusal.message, `${status}/${claimantId}/${action}/${who}`).toContain(REF);
          }
        }
      }
    }
  });

  it('a claimant who is not on the developer list cannot claim, but can still release their own claim', () => {
    const former: Actor = { id: CLAIMANT, isDeveloper: false, isAdmin: false };
    expect(decideTransition(bug('open'), 'claim', former)).toMatchObject({ ok: false, refusal: { kind: 'forbidden' } });
    expect(decideTransition(bug('in_progress', CLAIMANT), 'release', former)).toMatchObject({
      ok: true,
      transition: { to: 'open', claimant: null },
    });
  });

  it('a reporter who is also a developer claims and resolves their own bug', () => {
    const both: Actor = { id: REPORTER, isDeveloper: true, isAdmin: false };
    expect(decideTransition(bug('open'), 'claim', both)).toMatchObject({
      ok: true,
      transition: { to: 'in_progress', claimant: REPORTER },
    });
    expect(decideTransition(bug('in_progress', REPORTER), 'resolve', both)).toMatchObject({
      ok: true,
      transition: { to: 'resolved' },
    });
  });

  it('an admin who is also the reporter closes by hand, not as withdrawn', () => {
    const both: Actor = { id: REPORTER, isDeveloper: false, isAdmin: true };
    expect(decideTransition(bug('open'), 'close', both)).toMatchObject({
      ok: true,
      transition: { event: 'bug.closed', closeReason: 'manual' },
    });
  });

  // A resolved or closed bug keeps its claimant (resolve and close leave `claimant` untouched), so "release"
  // on it must not be a back door out of resolved/closed: that is what reopen (with its event) is for.
  it.each([
    ['resolved', 'claimant'],
    ['closed', 'claimant'],
    ['resolved', 'admin'],
    ['closed', 'admin'],
  ] as const)(
    'refuses to release the leftover claim of a %s bug (by the %s) instead of silently reopening it',
    (from, who) => {
      const decision = decideTransition(bug(from, CLAIMANT), 'release', ACTORS[who]);
      expect(decision.ok, `release moved a ${from} bug to ${decision.ok ? decision.transition.to : ''}`).toBe(false);
      if (decision.ok) return;
      expect(decision.refusal.kind).toBe('invalid');
      expect(decision.refusal.message).toContain(`${REF} is ${from}`);
      expect(decision.refusal.message).toContain('Reopen it');
    },
  );
});

describe('statusTimestamps', () => {
  const at = new Date('2026-11-24T09:00:00Z');

  it('resolving stamps resolvedAt and clears what a close left behind', () => {
    expect(statusTimestamps('resolved', at)).toEqual({ resolvedAt: at, closedAt: null, closeReason: null });
  });

  it('closing stamps closedAt and keeps resolvedAt (a resolved bug closed later stays "was resolved")', () => {
    expect(statusTimestamps('closed', at)).toEqual({ closedAt: at });
  });

  it.each(['open', 'in_progress'] as const)('moving to %s clears resolved and closed leftovers', (to) => {
    expect(statusTimestamps(to, at)).toEqual({ resolvedAt: null, closedAt: null, closeReason: null });
  });

  it('escalating changes no timestamps', () => {
    expect(statusTimestamps('escalated', at)).toEqual({});
  });

  it('every status is covered', () => {
    for (const status of BUG_STATUSES) expect(statusTimestamps(status, at)).toBeTypeOf('object');
  });
});

describe('restartsInactivityClock', () => {
  // Like a reporter's or developer's message (the same events the SQL recompute counts as activity).
  it('claiming, reopening and saying a fix is still broken restart the clock; nothing else a person does in the lifecycle does', () => {
    const restarting = new Set<string>();
    for (const status of BUG_STATUSES)
      for (const action of USER_ACTIONS)
        for (const who of Object.keys(ACTORS) as Who[]) {
          const decision = decideTransition(bug(status, who === 'claimant' ? CLAIMANT : null), action, ACTORS[who]);
          if (decision.ok && restartsInactivityClock(decision.transition)) restarting.add(decision.transition.action);
        }
    expect([...restarting].sort()).toEqual(['claim', 'reopen', 'still_broken']);
  });
});

describe('decideKeepOpen', () => {
  const now = new Date('2026-11-24T09:00:00Z');
  const keepOpenBug = (overrides: Partial<KeepOpenBug> = {}): KeepOpenBug => ({
    ref: REF,
    status: 'open',
    reporterId: REPORTER,
    claimantId: CLAIMANT,
    ...overrides,
  });

  it.each([
    ['reporter', true],
    ['developer', true],
    ['claimant', true],
    ['bystander', false],
    // An admin who is not a developer is a bystander to the warning.
    ['admin', false],
  ] as const)('on a warned open bug, the %s may keep it open: %s', (who, allowed) => {
    const decision = decideKeepOpen(keepOpenBug(), ACTORS[who], now, 7 * DAY);
    expect(decision.ok).toBe(allowed);
    if (!decision.ok) {
      expect(decision.refusal.kind).toBe('forbidden');
      expect(decision.refusal.message).toBe(
        `Thanks! Only <@${REPORTER}> or a developer can keep ${REF} open; a reply from one of them in the thread works too.`,
      );
    }
  });

  it('an auto-closed bug can be kept open within REOPEN_WITHIN, not after it', () => {
    const closed = keepOpenBug({
      status: 'closed',
      closeReason: 'inactivity',
      closedAt: new Date(now.getTime() - DAY),
    });
    expect(decideKeepOpen(closed, ACTORS.reporter, now, 7 * DAY)).toEqual({ ok: true });
    expect(decideKeepOpen(closed, ACTORS.reporter, now, DAY / 2)).toEqual({
      ok: false,
      refusal: { kind: 'invalid', message: `${REF} is closed; press Reopen on its card if it still matters.` },
    });
  });

  it('a bug that is resolved or escalated is no longer waiting to be closed', () => {
    for (const status of ['resolved', 'escalated'] as const)
      expect(decideKeepOpen(keepOpenBug({ status }), ACTORS.developer, now, 7 * DAY)).toMatchObject({
        ok: false,
        refusal: { message: `${REF} is no longer waiting to be closed for inactivity.` },
      });
  });
});

describe('actorKindOf', () => {
  it('is system without a person, admin for ADMIN_USERS, user for everyone else', () => {
    expect(actorKindOf(null, ['UADMIN'])).toBe('system');
    expect(actorKindOf('UADMIN', ['UADMIN'])).toBe('admin');
    expect(actorKindOf('UDEVELOPER', ['UADMIN'])).toBe('user');
  });
});
