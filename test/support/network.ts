// What tests may reach: only this machine (nock-setup.ts applies it to every test file).
import nock from 'nock';

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

/** nock refuses every host but loopback (nock gives the host as `name:port`, IPv6 without brackets). */
export function refuseAllButLoopback(): void {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => LOOPBACK.some((loopback) => host === loopback || host.startsWith(`${loopback}:`)));
}

/**
 * Runs `fn` with nock's interception off, for a test that talks to the bot's own loopback server in a way the
 * interception cannot pass on: a request body that is never finished (nock reads every body to its end before
 * it lets a request through). Nothing leaves the machine meanwhile only because `fn` sends nothing elsewhere.
 */
export async function withoutInterception<T>(fn: () => Promise<T>): Promise<T> {
  nock.restore();
  try {
    return await fn();
  } finally {
    nock.activate();
    refuseAllButLoopback();
  }
}
