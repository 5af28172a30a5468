// What an API token may do: `read` lists and fetches; `write` also creates, claims, updates, resolves and adds
// notes; `admin` also reopens closed bugs, resolves without verification and runs the sweep.
export const API_SCOPES = ['read', 'write', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Each scope includes the ones below it. */
export function hasScope(granted: readonly ApiScope[], needed: ApiScope): boolean {
  const rank = (scope: ApiScope) => API_SCOPES.indexOf(scope);
  return granted.some((scope) => rank(scope) >= rank(needed));
}

/** Token names: what agents are called on cards and in the audit trail. */
export const TOKEN_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{0,62}$/;
