// /healthz's Socket Mode part (issue 15): healthy while connected and for a minute down, 503 after, with a body that
// says the state; followed from the Socket Mode client's own state events.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CONNECTION_DOWN_LIMIT_MS, connectionHealth } from '../../src/domain/connection-health.ts';
import { trackSocketMode } from '../../src/slack/socket-health.ts';
import { TestClock } from '../support/test-clock.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 2, 12, 0, seconds));

describe('connectionHealth', () => {
  it('is healthy while connected', () => {
    expect(connectionHealth('connected', null, at(0))).toEqual({ healthy: true, description: 'connected' });
  });

  it('stays healthy for a minute down, then is not, and says for how long', () => {
    expect(connectionHealth('reconnecting', at(0), at(42))).toEqual({
      healthy: true,
      description: 'reconnecting, down for 42 s',
    });
    expect(connectionHealth('reconnecting', at(0), at(60)).healthy).toBe(true);
    expect(CONNECTION_DOWN_LIMIT_MS).toBe(60_000);
    expect(connectionHealth('disconnected', at(0), new Date(at(60).getTime() + 1))).toEqual({
      healthy: false,
      description: 'disconnected, down for 60 s (unhealthy after 60 s)',
    });
    expect(connectionHealth('connecting', at(0), at(75))).toEqual({
      healthy: false,
      description: 'connecting, down for 75 s (unhealthy after 60 s)',
    });
  });
});

describe('trackSocketMode', () => {
  it('follows the client: connecting from start-up, connected, down since the first of a run of reconnects', () => {
    const clock = new TestClock(at(0));
    const client = new EventEmitter();
    const part = trackSocketMode(client, clock.now);
    expect(part.name).toBe('socketMode');
    expect([part.healthy(), part.describe()]).toEqual([true, 'connecting, down for 0 s']);

    clock.advance(5_000);
    client.emit('connected');
    clock.advance(3_600_000);
    expect([part.healthy(), part.describe()]).toEqual([true, 'connected']);

    client.emit('reconnecting');
    clock.advance(30_000);
    client.emit('connecting'); // each retry: the outage still started at the first
    clock.advance(29_000);
    expect([part.healthy(), part.describe()]).toEqual([true, 'connecting, down for 59 s']);
    clock.advance(2_000);
    expect([part.healthy(), part.describe()]).toEqual([false, 'connecting, down for 61 s (unhealthy after 60 s)']);

    client.emit('connected');
    expect([part.healthy(), part.describe()]).toEqual([true, 'connected']);
  });

  it('counts a start-up that never connects as down from the start', () => {
    const clock = new TestClock(at(0));
    const part = trackSocketMode(new EventEmitter(), clock.now);
    clock.advance(61_000);
    expect(part.healthy()).toBe(false);
  });
});
