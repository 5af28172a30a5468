// /bugs release: an admin sees the orphaned claims (claimed, then no claimant activity for CLAIM_RELEASE_AFTER)
// and releases them at once, each atomically with its event, in kind words.
import type { AppContext } from '../../app-context.ts';
import { lockBug } from '../../db/repositories/bug-report.repository.ts';
import { findQuietClaims } from '../../db/repositories/sweep.repository.ts';
import { claimQuietSince, clockThreshold, isOrphanedClaim } from '../../domain/sweep-rules.ts';
import { releaseClaim, sweepSettings } from './sweep-items.ts';

export type OrphanedClaim = { bugId: number; ref: string; title: string; claimantId: string; idleMs: number };

export async function listOrphanedClaims(ctx: AppContext, limit = 500): Promise<OrphanedClaim[]> {
  const now = ctx.clock();
  const threshold = clockThreshold(now, ctx.config.claimReleaseAfterMs, sweepSettings(ctx));
  const bugs = await findQuietClaims(ctx.orm.em.fork(), threshold, null, limit);
  return bugs
    .filter((bug) => isOrphanedClaim(bug, now, sweepSettings(ctx)))
    .map((bug) => ({
      bugId: bug.id,
      ref: bug.ref,
      title: bug.title,
      claimantId: bug.claimantId!,
      idleMs: now.getTime() - claimQuietSince(bug)!.getTime(),
    }));
}

export type ReleaseResult = { released: OrphanedClaim[]; skipped: { ref: string; why: string }[] };

/**
 * Releases the claims the admin confirmed, in one transaction. Each is checked again as it is now: a claim whose
 * claimant spoke up (or that changed hands) since the list was shown stays.
 */
export async function releaseOrphanedClaims(
  ctx: AppContext,
  adminId: string,
  confirmed: { bugId: number; claimantId: string }[],
): Promise<ReleaseResult> {
  const now = ctx.clock();
  const result: ReleaseResult = { released: [], skipped: [] };
  await ctx.orm.em.fork().transactional(async (em) => {
    for (const item of [...confirmed].sort((a, b) => a.bugId - b.bugId)) {
      const bug = await lockBug(em, item.bugId);
      if (!bug) continue;
      if (bug.claimantId !== item.claimantId || !isOrphanedClaim(bug, now, sweepSettings(ctx))) {
        result.skipped.push({
          ref: bug.ref,
          why: bug.claimantId === item.claimantId ? 'the claimant has been active since' : 'the claim changed since',
        });
        continue;
      }
      const idleMs = now.getTime() - claimQuietSince(bug)!.getTime();
      await releaseClaim(em, ctx, bug, now, { byAdminId: adminId });
      result.released.push({ bugId: bug.id, ref: bug.ref, title: bug.title, claimantId: item.claimantId, idleMs });
    }
  });
  if (result.released.length > 0) {
    ctx.logger.info(
      { by: adminId, released: result.released.map((r) => r.ref) },
      'orphaned claims released by an admin',
    );
    ctx.notifier.kick();
  }
  return result;
}
