// Errors over HTTP as RFC 9457 problem details: a stable `type` per kind of problem, a human `detail`, and for
// validation errors every bad field with what was expected. Never a stack trace.
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const PROBLEM_TYPES = {
  validation: 'urn:bugsweep:problem:validation',
  unauthorized: 'urn:bugsweep:problem:unauthorized',
  forbidden: 'urn:bugsweep:problem:forbidden',
  notFound: 'urn:bugsweep:problem:not-found',
  methodNotAllowed: 'urn:bugsweep:problem:method-not-allowed',
  conflict: 'urn:bugsweep:problem:conflict',
  illegalTransition: 'urn:bugsweep:problem:illegal-transition',
  alreadyClaimed: 'urn:bugsweep:problem:already-claimed',
  preconditionFailed: 'urn:bugsweep:problem:precondition-failed',
  preconditionRequired: 'urn:bugsweep:problem:precondition-required',
  tooLarge: 'urn:bugsweep:problem:payload-too-large',
  unsupportedMediaType: 'urn:bugsweep:problem:unsupported-media-type',
  rateLimited: 'urn:bugsweep:problem:rate-limited',
  idempotencyConflict: 'urn:bugsweep:problem:idempotency-key-reused',
  unavailable: 'urn:bugsweep:problem:unavailable',
  internal: 'urn:bugsweep:problem:internal',
} as const;
export type ProblemType = keyof typeof PROBLEM_TYPES;

const TITLES: Record<ProblemType, string> = {
  validation: 'The request is not valid',
  unauthorized: 'A valid bearer token is required',
  forbidden: 'The token lacks the scope this needs',
  notFound: 'Not found',
  methodNotAllowed: 'Method not allowed',
  conflict: 'Conflict',
  illegalTransition: 'That transition is not allowed from the current status',
  alreadyClaimed: 'The bug is already claimed',
  preconditionFailed: 'The bug changed since that version',
  preconditionRequired: 'If-Match is required',
  tooLarge: 'The body is larger than 1 MB',
  unsupportedMediaType: 'The body is not JSON',
  rateLimited: 'Too many requests',
  idempotencyConflict: 'That Idempotency-Key was used for a different request',
  unavailable: 'Temporarily unavailable',
  internal: 'Something went wrong on our side',
};

export type InvalidField = { field: string; expected: string };

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: InvalidField[];
  [extension: string]: unknown;
};

export function problem(
  kind: ProblemType,
  status: number,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return { type: PROBLEM_TYPES[kind], title: TITLES[kind], status, detail, ...extensions };
}

export function problemResponse(body: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
  });
}
