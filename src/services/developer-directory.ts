// Who counts as a developer: DEVELOPER_USERS plus the members of DEVELOPER_USERGROUP. The group is fetched from
// Slack, cached and refreshed; when Slack fails, the last known members (or just the list) stand in, with a warning.
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

export type DeveloperDirectory = {
  /** Developer user ids as known now (may fetch the user group when the cache is old). */
  developerIds(): Promise<ReadonlySet<string>>;
  isDeveloper(userId: string): Promise<boolean>;
  /** False while the user group is configured but has not been fetched yet: "not a developer" may be wrong then. */
  isAuthoritative(): boolean;
  /** Called (and awaited) after every successful fetch of the user group with the full developer set. */
  onMembersLoaded(listener: (developers: ReadonlySet<string>) => Promise<unknown>): void;
};

export type DeveloperDirectoryOptions = {
  refreshMs?: number;
  retryMs?: number;
  /** How long a caller waits for Slack before the known list stands in (Slack wants answers within 3 s). */
  waitMs?: number;
};

export function createDeveloperDirectory(
  deps: { config: Config; slack: WebClient; clock: Clock; logger: Logger },
  options: DeveloperDirectoryOptions = {},
): DeveloperDirectory {
  const listed = new Set(deps.config.developerUsers);
  const group = deps.config.developerUsergroup;
  const refreshMs = options.refreshMs ?? 10 * 60_000;
  const retryMs = options.retryMs ?? 60_000;
  const waitMs = options.waitMs ?? 1_500;
  const log = deps.logger.child({ component: 'developer-directory', usergroup: group });
  const listeners: ((developers: ReadonlySet<string>) => Promise<unknown>)[] = [];

  let members: ReadonlySet<string> = listed;
  let loaded = false;
  let validUntil = 0;
  let inFlight: Promise<ReadonlySet<string>> | null = null;

  async function refresh(): Promise<ReadonlySet<string>> {
    try {
      const result = await deps.slack.usergroups.users.list({ usergroup: group! });
      members = new Set([...listed, ...(result.users ?? [])]);
      loaded = true;
      validUntil = deps.clock().getTime() + refreshMs;
      log.debug({ count: members.size }, 'developer user group refreshed');
    } catch (error) {
      validUntil = deps.clock().getTime() + retryMs;
      log.warn(
        { err: error, usingKnown: members.size },
        'could not fetch the developer user group from Slack; using the developers known so far',
      );
      return members;
    }
    for (const listener of listeners) {
      await listener(members).catch((error: unknown) => log.error({ err: error }, 'a developer-list listener failed'));
    }
    return members;
  }

  async function developerIds(): Promise<ReadonlySet<string>> {
    if (!group) return listed;
    if (deps.clock().getTime() < validUntil) return members;
    inFlight ??= refresh().finally(() => (inFlight = null));
    // A slow Slack must not make a button or command miss its 3-second answer: the known list stands in,
    // and the fetch goes on in the background.
    let timer: NodeJS.Timeout | undefined;
    const known = new Promise<ReadonlySet<string>>((resolve) => {
      timer = setTimeout(() => resolve(members), waitMs);
      timer.unref();
    });
    try {
      return await Promise.race([inFlight, known]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    developerIds,
    async isDeveloper(userId) {
      return (await developerIds()).has(userId);
    },
    isAuthoritative: () => !group || loaded,
    onMembersLoaded(listener) {
      listeners.push(listener);
    },
  };
}
