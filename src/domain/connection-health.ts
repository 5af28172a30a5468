// Whether the Socket Mode connection counts as healthy for /healthz (issue 15): connected, or down (connecting,
// reconnecting, disconnected) for at most a minute, so a routine refresh of the socket never fails a probe.

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnecting' | 'disconnected';

/** Longer down than this and /healthz answers 503. */
export const CONNECTION_DOWN_LIMIT_MS = 60_000;

export type ConnectionHealth = { healthy: boolean; description: string };

/** `downSince`: when the connection last stopped being connected (start-up counts), null while connected. */
export function connectionHealth(state: ConnectionState, downSince: Date | null, now: Date): ConnectionHealth {
  if (state === 'connected' || downSince === null) return { healthy: true, description: 'connected' };
  const downMs = Math.max(0, now.getTime() - downSince.getTime());
  const healthy = downMs <= CONNECTION_DOWN_LIMIT_MS;
  return {
    healthy,
    description: `${state}, down for ${Math.floor(downMs / 1000)} s${healthy ? '' : ' (unhealthy after 60 s)'}`,
  };
}
