// What bugsweep's modals carry in private_metadata, read back when they are submitted. Slack returns it as it was
// given, but the request could come from anyone who can sign one, so it is read like any other input.
import { z } from 'zod';
import type { ReportOrigin } from '../../domain/report-text.ts';
import { channelId, messageTs, userId } from './slack-ids.ts';

/** The JSON in private_metadata; undefined when it is not JSON at all. Empty means an empty object. */
function readJson(privateMetadata: string | undefined): unknown {
  if (!privateMetadata) return {};
  try {
    return JSON.parse(privateMetadata);
  } catch {
    return undefined;
  }
}

const reportOrigin = z.object({
  channelId,
  ts: messageTs,
  threadTs: messageTs.nullable(),
  permalink: z
    .string()
    .regex(/^https?:\/\/[^\s<>|]{1,2000}$/)
    .nullable(),
  authorId: userId.nullable(),
}) satisfies z.ZodType<ReportOrigin>;

const reportModal = z.object({ origin: reportOrigin.nullable().optional() });

/** The report modal: where a report filed from another message came from. Anything unreadable is no origin. */
export function readReportOrigin(privateMetadata: string | undefined): ReportOrigin | null {
  const parsed = reportModal.safeParse(readJson(privateMetadata));
  return parsed.success ? (parsed.data.origin ?? null) : null;
}

const bugId = z.number().int().positive().max(2_147_483_647);

/** The Resolve modal: the bug it resolves, or null when the form lost track of it. */
export function readResolveBugId(privateMetadata: string | undefined): number | null {
  const parsed = z.object({ bugId }).safeParse(readJson(privateMetadata));
  return parsed.success ? parsed.data.bugId : null;
}

const confirmedClaim = z.object({ bugId, claimantId: userId });
export type ConfirmedClaim = z.infer<typeof confirmedClaim>;

/** The /bugs release confirmation: the claims the admin saw. Entries that are not a claim are left out. */
export function readConfirmedClaims(privateMetadata: string | undefined): ConfirmedClaim[] {
  const parsed = z.object({ claims: z.array(z.unknown()) }).safeParse(readJson(privateMetadata));
  if (!parsed.success) return [];
  return parsed.data.claims.flatMap((claim) => {
    const entry = confirmedClaim.safeParse(claim);
    return entry.success ? [entry.data] : [];
  });
}
