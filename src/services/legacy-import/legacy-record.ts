// One old flat-file report, validated with zod: its fields found under their usual names (domain/legacy-report.ts),
// each checked, and every problem reported by field so the rejects file says what to fix.
import { z } from 'zod';
import { canonicalFields, type LegacyReport, legacySeverity, legacyStatus } from '../../domain/legacy-report.ts';
import { extractTelemetry, titleFromText } from '../../domain/report-text.ts';
import { isCommitSha, storableText } from '../../domain/slack-text.ts';

export type FieldError = { field: string; message: string };

export type RecordCheck =
  | { ok: true; report: LegacyReport }
  | { ok: false; legacyId: string | null; errors: FieldError[] };

const text = (max: number) =>
  z
    .union([z.string(), z.number()])
    .transform((value) => storableText(String(value)).trim())
    .pipe(z.string().max(max, `at most ${max} characters`));

/** A person: a Slack user id, a name or an email, or an object naming one of them. */
const person = z
  .union([
    z.string(),
    z.number(),
    z
      .object({
        id: z.union([z.string(), z.number()]).optional(),
        slack_id: z.string().optional(),
        slackId: z.string().optional(),
        email: z.string().optional(),
        name: z.string().optional(),
        username: z.string().optional(),
      })
      .transform((p, issue) => {
        const named = p.slack_id ?? p.slackId ?? p.id ?? p.email ?? p.username ?? p.name;
        if (named === undefined) {
          issue.addIssue({ code: 'custom', message: 'expected an id, email or name' });
          return z.NEVER;
        }
        return named;
      }),
  ])
  .transform((value) => storableText(String(value)).trim())
  .pipe(z.string().min(1).max(200, 'at most 200 characters'));

/** A written `YYYY-MM-DD` that is on the calendar: JavaScript would move 30 February into March. */
function onTheCalendar(written: string): boolean {
  const [, year, month, day] = /^(\d{4})-(\d{2})-(\d{2})/.exec(written) ?? [];
  return Number(day) <= new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
}

/** ISO 8601 text, or a Unix time in seconds or milliseconds (a number or digits; Slack's `1700000000.123456` too). */
const moment = z.union([z.string(), z.number()]).transform((value, issue) => {
  const written = String(value).trim();
  const date = /^\d+(\.\d+)?$/.test(written)
    ? new Date(Number(written) < 100_000_000_000 ? Number(written) * 1000 : Number(written))
    : /^\d{4}-\d{2}-\d{2}/.test(written) && onTheCalendar(written)
      ? new Date(written)
      : new Date(Number.NaN);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1990 || date.getUTCFullYear() > 2100) {
    issue.addIssue({ code: 'custom', message: 'expected an ISO 8601 time or a Unix time' });
    return z.NEVER;
  }
  return date;
});

const telemetryId = text(200).pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'not an id'));

const legacyRecordSchema = z.object({
  id: text(200).pipe(z.string().min(1, 'required')),
  title: text(10_000).optional(),
  description: text(200_000).optional(),
  severity: z
    .union([z.string(), z.number()])
    .transform((value, issue) => {
      const severity = legacySeverity(value);
      if (!severity) {
        issue.addIssue({ code: 'custom', message: `unknown severity "${String(value).slice(0, 40)}"` });
        return z.NEVER;
      }
      return severity;
    })
    .optional(),
  status: z
    .string()
    .transform((value, issue) => {
      const status = legacyStatus(value);
      if (!status) {
        issue.addIssue({ code: 'custom', message: `unknown status "${value.slice(0, 40)}"` });
        return z.NEVER;
      }
      return status;
    })
    .optional(),
  reporter: person.optional(),
  assignee: person.optional(),
  createdAt: moment,
  updatedAt: moment.optional(),
  resolvedAt: moment.optional(),
  traceId: telemetryId.optional(),
  requestId: telemetryId.optional(),
  releaseSha: text(40)
    .pipe(z.string().refine(isCommitSha, 'expected a commit SHA (7 to 40 hex characters)'))
    .transform((sha) => sha.toLowerCase())
    .optional(),
});

function legacyIdOf(value: unknown): string | null {
  if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 200);
  if (typeof value === 'number') return String(value);
  return null;
}

/** The legacy id a record read from a file names, if any (for a rejection). */
export function legacyIdIn(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return legacyIdOf(canonicalFields(value as Record<string, unknown>).id);
}

/** Checks one record as read from a file (any JSON value). */
export function checkLegacyRecord(value: unknown): RecordCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, legacyId: null, errors: [{ field: '(record)', message: 'expected a JSON object' }] };
  }
  const fields = canonicalFields(value as Record<string, unknown>);
  const parsed = legacyRecordSchema.safeParse(fields);
  const title = parsed.success ? (parsed.data.title ?? '') : '';
  const description = parsed.success ? (parsed.data.description ?? '') : '';
  const errors: FieldError[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        field: issue.path.length > 0 ? issue.path.join('.') : '(record)',
        message: issue.path.length === 1 && !(String(issue.path[0]) in fields) ? 'required' : issue.message,
      }));
  if (parsed.success && !title && !description) errors.push({ field: 'title', message: 'required (or a description)' });
  if (!parsed.success || errors.length > 0) return { ok: false, legacyId: legacyIdOf(fields.id), errors };
  const data = parsed.data;
  // Telemetry written into the description counts too, unless the record's own fields say otherwise.
  const found = extractTelemetry(description);
  return {
    ok: true,
    report: {
      legacyId: data.id,
      title: title || titleFromText(description),
      description,
      severity: data.severity ?? null,
      status: data.status ?? null,
      reporter: data.reporter ?? null,
      assignee: data.assignee ?? null,
      createdAt: data.createdAt,
      updatedAt: data.updatedAt ?? null,
      resolvedAt: data.resolvedAt ?? null,
      telemetry: {
        traceId: data.traceId ?? found.traceId,
        requestId: data.requestId ?? found.requestId,
        releaseSha: data.releaseSha ?? found.releaseSha,
      },
    },
  };
}
