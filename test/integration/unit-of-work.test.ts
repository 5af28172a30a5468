// Statements that change rows the unit of work may hold (the activity recompute, cancelling a notice) keep the
// held entities in step: the caller can go on changing them and flush without a false OptimisticLockError or
// writing an old value back, while a writer holding an older copy still learns that the bug changed.
import { OptimisticLockError } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import { BugConversation, BugReport, SlackNotice } from '../../src/db/entities/index.ts';
import { recomputeActivity } from '../../src/db/repositories/bug-activity.repository.ts';
import { lockBug } from '../../src/db/repositories/bug-report.repository.ts';
import { cancelIfUnsent } from '../../src/db/repositories/notice.repository.ts';
import { enqueueNotice } from '../../src/services/notices.ts';
import { useTestDatabase } from '../support/database.ts';
import { addConversation, createBug } from '../support/factories.ts';

const db = useTestDatabase();
const CREATED = new Date('2026-11-01T10:00:00Z');
const REPLIED = new Date('2026-11-03T10:00:00Z');

describe('the activity recompute inside a unit of work', () => {
  it('lets the caller change the bug afterwards and flush in the same transaction', async () => {
    const setup = db.orm.em.fork();
    const created = await createBug(setup, { createdAt: CREATED });
    const reply = await addConversation(setup, created, { senderType: 'reporter', at: REPLIED });
    await recomputeActivity(setup, created);

    const updatedAt = new Date('2026-11-04T08:00:00Z');
    await db.orm.em.fork().transactional(async (tx) => {
      const bug = (await lockBug(tx, created.id))!;
      expect(bug.lastActivityAt.toISOString()).toBe(REPLIED.toISOString());
      // The reply is deleted: activity falls back to the bug's creation.
      const row = await tx.findOneOrFail(BugConversation, reply.id);
      row.deletedAt = updatedAt;
      await recomputeActivity(tx, bug);
      bug.updatedAt = updatedAt;
      bug.title = 'Checkout button does nothing (Safari only)';
      await tx.flush();
    });

    const stored = await db.orm.em.fork().findOneOrFail(BugReport, created.id);
    expect(stored.title).toBe('Checkout button does nothing (Safari only)');
    expect(stored.updatedAt.toISOString()).toBe(updatedAt.toISOString());
    expect(stored.lastActivityAt.toISOString()).toBe(CREATED.toISOString());
  });

  it('still makes a writer holding an older copy of the bug fail its optimistic write', async () => {
    const setup = db.orm.em.fork();
    const created = await createBug(setup, { createdAt: CREATED });

    const stale = db.orm.em.fork();
    const heldElsewhere = await stale.findOneOrFail(BugReport, created.id);

    await db.orm.em.fork().transactional(async (tx) => {
      await recomputeActivity(tx, (await lockBug(tx, created.id))!);
    });

    heldElsewhere.title = 'written over a recompute it never saw';
    await expect(stale.flush()).rejects.toBeInstanceOf(OptimisticLockError);
  });
});

describe('cancelling a notice the unit of work holds', () => {
  it('shows the cancellation on the held notice, and a later flush keeps it cancelled', async () => {
    const setup = db.orm.em.fork();
    const bug = await createBug(setup, { createdAt: CREATED });

    await db.orm.em.fork().transactional(async (tx) => {
      const held = await enqueueNotice(tx, {
        bugId: bug.id,
        purpose: 'warning',
        channelId: bug.channelId,
        threadTs: bug.threadTs,
        payload: { text: 'This bug will be closed soon' },
        at: CREATED,
      });
      expect(await cancelIfUnsent(tx, held.id, 'withdrawn before it was posted')).toBe('cancelled');
      expect(held.status).toBe('cancelled');
      held.nextAttemptAt = REPLIED;
      await tx.flush();
    });

    const stored = await db.orm.em.fork().findOneOrFail(SlackNotice, { bugId: bug.id, purpose: 'warning' });
    expect(stored.status).toBe('cancelled');
    expect(stored.lastError).toBe('withdrawn before it was posted');
  });
});
