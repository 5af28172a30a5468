// Who counts as a developer: DEVELOPER_USERS plus DEVELOPER_USERGROUP fetched from Slack (intercepted by nock),
// cached and refreshed on a hand-moved clock, and what stands in when Slack fails.
import { type Logger, pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createSlackClient } from '../../src/bugsweep.ts';
import { createDeveloperDirectory, type DeveloperDirectoryOptions } from '../../src/services/developer-directory.ts';
import { useNockSlackApi } from '../support/nock-slack-api.ts';
import { TEST_USERS, testConfig } from '../support/test-app.ts';
import { START, TestClock } from '../support/test-clock.ts';

const GROUP = 'S0DEVS';
const REFRESH_MS = 10 * 60_000;
const RETRY_MS = 60_000;
const LISTED = [TEST_USERS.developer, TEST_USERS.developer2];

type LogLine = {
  level: number;
  msg: string;
  component?: string;
  usergroup?: string;
  usingKnown?: number;
  err?: { message?: string };
};

const api = useNockSlackApi();

function setup(
  env: Record<string, string> = { DEVELOPER_USERGROUP: GROUP },
  options: DeveloperDirectoryOptions = { refreshMs: REFRESH_MS, retryMs: RETRY_MS },
) {
  const config = testConfig(env, api.url);
  const clock = new TestClock(START);
  const lines: LogLine[] = [];
  const logger: Logger = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  const directory = createDeveloperDirectory(
    { config, slack: createSlackClient(config), clock: clock.now, logger },
    options,
  );
  const warnings = () => lines.filter((line) => line.level === 40);
  return { directory, clock, warnings };
}

const sorted = (ids: ReadonlySet<string>) => [...ids].sort();
const listCalls = () => api.callsTo('usergroups.users.list');
const members = (...users: string[]) => ({ status: 200, body: { ok: true, users } });

describe('without DEVELOPER_USERGROUP', () => {
  it('is exactly DEVELOPER_USERS and never asks Slack', async () => {
    const { directory, clock } = setup({});
    expect(sorted(await directory.developerIds())).toEqual([...LISTED].sort());
    expect(await directory.isDeveloper(TEST_USERS.developer)).toBe(true);
    expect(await directory.isDeveloper(TEST_USERS.bystander)).toBe(false);
    clock.advance(24 * 3_600_000);
    expect(await directory.isDeveloper(TEST_USERS.developer2)).toBe(true);
    expect(api.calls).toHaveLength(0);
  });
});

describe('with DEVELOPER_USERGROUP', () => {
  it('counts the group members and the listed users, asking Slack once for the group', async () => {
    api.on('usergroups.users.list', members('UGROUPA', 'UGROUPB'));
    const { directory } = setup();
    expect(sorted(await directory.developerIds())).toEqual(['UDEVELOPER', 'UDEVTWO', 'UGROUPA', 'UGROUPB']);
    expect(await directory.isDeveloper('UGROUPA')).toBe(true);
    expect(await directory.isDeveloper(TEST_USERS.developer)).toBe(true);
    expect(await directory.isDeveloper(TEST_USERS.bystander)).toBe(false);
    expect(listCalls()).toHaveLength(1);
    expect(listCalls()[0]!.body).toMatchObject({ usergroup: GROUP });
  });

  it('asks Slack once when many ask at the same moment', async () => {
    api.on('usergroups.users.list', members('UGROUPA'));
    const { directory } = setup();
    const answers = await Promise.all([
      directory.isDeveloper('UGROUPA'),
      directory.isDeveloper('UGROUPA'),
      directory.developerIds(),
    ]);
    expect(answers.slice(0, 2)).toEqual([true, true]);
    expect(listCalls()).toHaveLength(1);
  });

  it('keeps the group cached until refreshMs has passed, then fetches it again', async () => {
    api.enqueue('usergroups.users.list', members('UOLD'), members('UNEW'));
    const { directory, clock } = setup();
    expect(await directory.isDeveloper('UOLD')).toBe(true);
    clock.advance(REFRESH_MS - 1);
    expect(await directory.isDeveloper('UOLD')).toBe(true);
    expect(listCalls()).toHaveLength(1);

    clock.advance(1);
    expect(await directory.isDeveloper('UNEW')).toBe(true);
    // Someone who left the group is no longer a developer; the listed ones always are.
    expect(await directory.isDeveloper('UOLD')).toBe(false);
    expect(await directory.isDeveloper(TEST_USERS.developer)).toBe(true);
    expect(listCalls()).toHaveLength(2);
  });

  it('uses the default refresh of ten minutes when none is given', async () => {
    api.on('usergroups.users.list', members('UGROUPA'));
    const { directory, clock } = setup({ DEVELOPER_USERGROUP: GROUP }, {});
    await directory.developerIds();
    clock.advance(10 * 60_000 - 1);
    await directory.developerIds();
    expect(listCalls()).toHaveLength(1);
    clock.advance(1);
    await directory.developerIds();
    expect(listCalls()).toHaveLength(2);
  });
});

describe('when Slack fails', () => {
  it('falls back to the listed users on an HTTP 500, warns, and retries after retryMs', async () => {
    api.enqueue('usergroups.users.list', { status: 500, body: { ok: false, error: 'internal_error' } });
    const { directory, clock, warnings } = setup();
    expect(sorted(await directory.developerIds())).toEqual([...LISTED].sort());
    expect(await directory.isDeveloper('UGROUPA')).toBe(false);
    expect(listCalls()).toHaveLength(1);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({
      component: 'developer-directory',
      usergroup: GROUP,
      usingKnown: LISTED.length,
    });
    expect(warnings()[0]!.msg).toMatch(/developer user group/);

    // Not hammering Slack: no new attempt until retryMs has passed.
    api.on('usergroups.users.list', members('UGROUPA'));
    clock.advance(RETRY_MS - 1);
    expect(await directory.isDeveloper('UGROUPA')).toBe(false);
    expect(listCalls()).toHaveLength(1);
    clock.advance(1);
    expect(await directory.isDeveloper('UGROUPA')).toBe(true);
    expect(listCalls()).toHaveLength(2);
    expect(warnings()).toHaveLength(1);
  });

  it('falls back to the listed users when the connection drops (ECONNRESET), and loads the group once it is back', async () => {
    api.enqueue('usergroups.users.list', { networkError: 'ECONNRESET' });
    const { directory, clock, warnings } = setup();
    expect(sorted(await directory.developerIds())).toEqual([...LISTED].sort());
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ component: 'developer-directory', usingKnown: LISTED.length });

    api.on('usergroups.users.list', members('UGROUPA'));
    clock.advance(RETRY_MS);
    expect(await directory.isDeveloper('UGROUPA')).toBe(true);
    expect(listCalls()).toHaveLength(2);
    expect(warnings()).toHaveLength(1);
  });

  it('falls back to the listed users when Slack answers ok:false', async () => {
    api.enqueue('usergroups.users.list', {
      status: 200,
      body: { ok: false, error: 'missing_scope', needed: 'usergroups:read' },
    });
    const { directory, warnings } = setup();
    expect(sorted(await directory.developerIds())).toEqual([...LISTED].sort());
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.err?.message).toContain('missing_scope');
  });

  it('keeps the last known members when a refresh fails, and retries after retryMs', async () => {
    api.enqueue(
      'usergroups.users.list',
      members('UGROUPA', 'UGROUPB'),
      { status: 500, body: { ok: false } },
      { status: 200, body: { ok: false, error: 'fatal_error' } },
    );
    const { directory, clock, warnings } = setup();
    expect(await directory.isDeveloper('UGROUPB')).toBe(true);

    clock.advance(REFRESH_MS);
    expect(sorted(await directory.developerIds())).toEqual(['UDEVELOPER', 'UDEVTWO', 'UGROUPA', 'UGROUPB']);
    expect(listCalls()).toHaveLength(2);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.usingKnown).toBe(4);

    clock.advance(RETRY_MS);
    expect(await directory.isDeveloper('UGROUPA')).toBe(true);
    expect(listCalls()).toHaveLength(3);
    expect(warnings()).toHaveLength(2);

    api.on('usergroups.users.list', members('UGROUPC'));
    clock.advance(RETRY_MS);
    expect(sorted(await directory.developerIds())).toEqual(['UDEVELOPER', 'UDEVTWO', 'UGROUPC']);
    expect(listCalls()).toHaveLength(4);
  });

  it('treats a rate-limited answer as a failure instead of waiting inside the call', async () => {
    api.enqueue('usergroups.users.list', {
      status: 429,
      body: { ok: false, error: 'ratelimited' },
      headers: { 'retry-after': '30' },
    });
    const { directory, warnings } = setup();
    expect(sorted(await directory.developerIds())).toEqual([...LISTED].sort());
    expect(listCalls()).toHaveLength(1);
    expect(warnings()).toHaveLength(1);
  });
});
