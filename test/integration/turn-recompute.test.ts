// Whose turn it is exists twice: turnOf (domain/turn.ts), the definition, and the SQL recompute run when a message is
// deleted or reclassified (recomputeTurn). These timelines of messages and reopens prove the two agree, and that the
// recompute starts the turn and forgets a nudge where a reopen says so.
import { describe, expect, it } from 'vitest';
import { BugConversation, BugReport } from '../../src/db/entities/index.ts';
import { recomputeTurn } from '../../src/db/repositories/bug-activity.repository.ts';
import type { BugEventType } from '../../src/domain/bug-event-types.ts';
import type { SenderType } from '../../src/domain/sender-type.ts';
import { INITIAL_TURN, isReopenEvent, TURN_AFTER_REOPEN, turnAfterMessage, turnOf } from '../../src/domain/turn.ts';
import { recordEvent } from '../../src/services/audit.ts';
import { useTestDatabase } from '../support/database.ts';
import { addConversation, createBug } from '../support/factories.ts';
import { HOUR } from '../support/test-clock.ts';

const db = useTestDatabase();
const CREATED = new Date('2026-11-01T10:00:00Z');
const hour = (n: number) => new Date(CREATED.getTime() + n * HOUR);

type Step =
  | { message: SenderType; deleted?: boolean }
  | { event: BugEventType; onCanonical?: boolean }
  | { nudged: true };

/** A bug with these steps an hour apart (from one hour after its creation), then its turn recomputed in SQL. */
async function recomputed(steps: Step[]) {
  const em = db.orm.em.fork();
  const bug = await createBug(em, { createdAt: CREATED });
  const canonical = await createBug(em, { createdAt: CREATED });
  for (const [i, step] of steps.entries()) {
    const at = hour(i + 1);
    if ('message' in step) await addConversation(em, bug, { senderType: step.message, at, deleted: step.deleted });
    else if ('nudged' in step) Object.assign(bug, { nudgedAt: at });
    // A split is recorded on both bugs; its metadata names the duplicate, the one it reopens.
    else
      for (const on of step.onCanonical ? [canonical] : step.event === 'bug.duplicate_split' ? [bug, canonical] : [bug])
        recordEvent(em, {
          bugId: on.id,
          type: step.event,
          actorId: 'UREPORTER',
          actorKind: 'user',
          at,
          metadata:
            step.event === 'bug.duplicate_split' ? { duplicateId: step.onCanonical ? canonical.id : bug.id } : {},
        });
  }
  await em.flush();
  await recomputeTurn(em, bug);
  const fresh = db.orm.em.fork();
  const stored = await fresh.findOneOrFail(BugReport, bug.id);
  const rows = await fresh.find(BugConversation, { bugId: bug.id });
  const reopens = steps.flatMap((step, i) =>
    'event' in step && isReopenEvent(step.event) && !step.onCanonical ? [hour(i + 1)] : [],
  );
  return { stored, expected: turnOf(rows, reopens) };
}

const said = (message: SenderType, deleted = false): Step => ({ message, deleted });
const reopened: Step = { event: 'bug.reopened' };

describe('the turn recomputed in SQL agrees with turnOf', () => {
  it('for every timeline of up to four reporter or developer messages and reopens', async () => {
    const steps: Step[] = [said('reporter'), said('developer'), reopened];
    const timelines = (length: number): Step[][] =>
      length === 0 ? [[]] : timelines(length - 1).flatMap((timeline) => steps.map((step) => [...timeline, step]));
    let checked = 0;
    for (let length = 0; length <= 4; length++) {
      for (const timeline of timelines(length)) {
        const { stored, expected } = await recomputed(timeline);
        expect(stored.turn).toBe(expected);
        // And the turn starts where the column kept step by step starts it: at the step that changed it, or a reopen.
        const column = timeline.reduce(
          (kept, step, i) => {
            const next = 'message' in step ? turnAfterMessage(kept.turn, step.message) : TURN_AFTER_REOPEN;
            return !('message' in step) || next !== kept.turn ? { turn: next, since: hour(i + 1) } : kept;
          },
          { turn: INITIAL_TURN, since: CREATED },
        );
        expect(stored.turn).toBe(column.turn);
        expect(stored.turnSince.toISOString()).toBe(column.since.toISOString());
        checked++;
      }
    }
    expect(checked).toBe(1 + 3 + 9 + 27 + 81);
  });

  it.each<[string, Step[], 'reporter' | 'developers', number]>([
    ['a developer said it is fixed, then it was reopened', [said('developer'), reopened], 'developers', 2],
    ['reopened, then a developer asked', [said('developer'), reopened, said('developer')], 'reporter', 3],
    ['reopened, then the reporter added details', [said('developer'), reopened, said('reporter')], 'developers', 2],
    ['reopened, then a bystander said +1', [said('developer'), reopened, said('other')], 'developers', 2],
    [
      'a message from before the reopen deleted: the reopen stands',
      [said('reporter', true), said('developer'), reopened],
      'developers',
      3,
    ],
    [
      'the developer answer after the reopen deleted',
      [said('developer'), reopened, said('developer', true)],
      'developers',
      2,
    ],
    ['"still broken" on an agent’s fix', [said('developer'), { event: 'bug.verification_failed' }], 'developers', 2],
    ['the bot reopened it on a Keep open press', [said('developer'), { event: 'bug.auto_reopened' }], 'developers', 2],
    ['split out as not a duplicate', [said('developer'), { event: 'bug.duplicate_split' }], 'developers', 2],
    [
      'a split of another bug from this one is not this one’s reopen',
      [said('developer'), { event: 'bug.duplicate_split', onCanonical: true }],
      'reporter',
      1,
    ],
    [
      'a resolve or a claim is no reopen',
      [said('developer'), { event: 'bug.resolved' }, { event: 'bug.claimed' }],
      'reporter',
      1,
    ],
  ])('%s', async (_, steps, turn, sinceStep) => {
    const { stored, expected } = await recomputed(steps);
    expect(expected).toBe(turn);
    expect(stored.turn).toBe(turn);
    expect(stored.turnSince.toISOString()).toBe(hour(sinceStep).toISOString());
  });

  it('a developer reply at the moment of the reopen it caused comes after it', async () => {
    const em = db.orm.em.fork();
    const bug = await createBug(em, { createdAt: CREATED });
    await addConversation(em, bug, { senderType: 'developer', at: hour(1) });
    recordEvent(em, { bugId: bug.id, type: 'bug.auto_reopened', actorId: 'UDEV', actorKind: 'user', at: hour(1) });
    await recomputeTurn(em, bug);
    expect(bug.turn).toBe('reporter');
    expect(bug.turnSince.toISOString()).toBe(hour(1).toISOString());
  });

  it('forgets a nudge of the developers’ turn before the last reopen, and keeps one since', async () => {
    const before = await recomputed([said('reporter'), { nudged: true }, reopened]);
    expect(before.stored).toMatchObject({ turn: 'developers', nudgedAt: null });
    expect(before.stored.turnSince.toISOString()).toBe(hour(3).toISOString());
    const since = await recomputed([said('reporter'), reopened, { nudged: true }]);
    expect(since.stored.turn).toBe('developers');
    expect(since.stored.nudgedAt?.toISOString()).toBe(hour(3).toISOString());
    // Without a reopen, a nudge of the developers' turn stays as before.
    const kept = await recomputed([said('reporter'), { nudged: true }]);
    expect(kept.stored.nudgedAt?.toISOString()).toBe(hour(2).toISOString());
  });
});
