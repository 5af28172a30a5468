// The Socket Mode connection as a part of /healthz (src/http/server.ts's HealthPart): follows the Socket Mode client's
// state events and judges them with connectionHealth (src/domain/connection-health.ts).
import type { App } from '@slack/bolt';
import type { Clock } from '../clock.ts';
import { type ConnectionState, connectionHealth } from '../domain/connection-health.ts';

/** The events a Socket Mode client emits as its connection changes (@slack/socket-mode's State). */
const STATES: readonly ConnectionState[] = ['connecting', 'connected', 'reconnecting', 'disconnecting', 'disconnected'];

type StateEmitter = { on(event: string, listener: () => void): unknown };

export type SocketModeHealth = { name: string; healthy(): boolean; describe(): string };

/** Tracks `client` from now on: down (connecting) since now until its first `connected`. */
export function trackSocketMode(client: StateEmitter, clock: Clock): SocketModeHealth {
  let state: ConnectionState = 'connecting';
  let downSince: Date | null = clock();
  for (const next of STATES) {
    client.on(next, () => {
      state = next;
      if (next === 'connected') downSince = null;
      else downSince ??= clock();
    });
  }
  const health = () => connectionHealth(state, downSince, clock());
  return { name: 'socketMode', healthy: () => health().healthy, describe: () => health().description };
}

/**
 * The Socket Mode client of a Bolt app started with `socketMode: true`. Bolt keeps its receiver private, while the
 * SocketModeReceiver's `client` is public; a Bolt without it fails here at start-up, not silently in /healthz.
 */
export function socketModeClientOf(app: App): StateEmitter {
  const client = (app as unknown as { receiver?: { client?: Partial<StateEmitter> } }).receiver?.client;
  if (typeof client?.on !== 'function') throw new Error('the Bolt app has no Socket Mode client to watch');
  return client as StateEmitter;
}
