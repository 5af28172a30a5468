// What a parser of a setting returns: the value, or one sentence for the person who wrote the setting.

/**
 * `error` is written to follow the variable's name, in the form config.ts already uses for durations:
 * `expected <the accepted form>, got "<input>"`, sometimes followed by what exactly is wrong. config.ts reports it
 * as `BUSINESS_HOURS expected …, got "…"`.
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export const parsed = <T>(value: T): ParseResult<T> => ({ ok: true, value });

/** The error for `input`: the accepted form, what was given, and (when known) the part that is wrong. */
export function rejected<T>(expected: string, input: string, problem?: string): ParseResult<T> {
  return { ok: false, error: `expected ${expected}, got "${input}"${problem ? ` (${problem})` : ''}` };
}
