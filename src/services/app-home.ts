// What App Home shows a person: their claims, their open reports and the unclaimed queue; and, for admins, above
// that, how the whole backlog stands and the sweep's state (issue 15). Reads only.
import type { AppContext } from '../app-context.ts';
import type { BugReport } from '../db/entities/index.ts';
import { countByStatus } from '../db/repositories/backlog.repository.ts';
import { findSlaBreached } from '../db/repositories/sla.repository.ts';
import type { BugStatus } from '../domain/bug-status.ts';
import { BUG_STATUSES } from '../domain/bug-status.ts';
import { type HomeOverview, homeOverview } from './bug-queries.ts';
import { listOrphanedClaims, type OrphanedClaim } from './sweep/orphaned-claims.ts';
import { previewSweep, type SweepPreview, type SweepStatus, sweepStatus } from './sweep/sweep-control.ts';

export type AdminOverview = {
  counts: Record<BugStatus, number>;
  orphaned: OrphanedClaim[];
  preview: SweepPreview;
  sweep: SweepStatus;
  breached: { bugs: BugReport[]; total: number };
};

export type AppHome = { personal: HomeOverview; admin: AdminOverview | null };

export async function appHomeFor(ctx: AppContext, userId: string): Promise<AppHome> {
  const personal = await homeOverview(ctx, userId);
  if (!ctx.config.adminUsers.includes(userId)) return { personal, admin: null };
  return { personal, admin: await adminOverview(ctx) };
}

export async function adminOverview(ctx: AppContext): Promise<AdminOverview> {
  const em = ctx.orm.em.fork();
  const now = ctx.clock();
  const [stored, orphaned, preview, sweep, breached] = await Promise.all([
    countByStatus(em),
    listOrphanedClaims(ctx),
    previewSweep(ctx, 200),
    sweepStatus(ctx, 3),
    findSlaBreached(ctx.orm.em.fork(), now, 10),
  ]);
  const counts = Object.fromEntries(BUG_STATUSES.map((status) => [status, stored[status] ?? 0])) as Record<
    BugStatus,
    number
  >;
  return {
    counts,
    orphaned,
    preview,
    sweep,
    breached,
  };
}
