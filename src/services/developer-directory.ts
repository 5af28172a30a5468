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
};

export type DeveloperDirectoryOptions = { refreshMs?: number; retryMs?: number };

export function createDeveloperDirectory(
  deps: { config: Config; slack: WebClient; clock: Clock; logger: Logger },
  options: DeveloperDirectoryOptions = {},
): DeveloperDirectory {
  const listed = new Set(deps.config.developerUsers);
  const group = deps.config.developerUsergroup;
  const refreshMs = options.refreshMs ?? 10 * 60_000;
  const retryMs = options.retryMs ?? 60_000;
  const log = deps.logger.child({ component: 'developer-directory', usergroup: group });

  let members: ReadonlySet<string> = listed;
  let validUntil = 0;
  let inFlight: Promise<ReadonlySet<string>> | null = null;

  async function refresh(): Promise<ReadonlySet<string>> {
    try {
      const result = await deps.slack.usergroups.users.list({ usergroup: group! });
      members = new Set([...listed, ...(result.users ?? [])]);
      validUntil = deps.clock().getTime() + refreshMs;
      log.debug({ count: members.size }, 'developer user group refreshed');
    } catch (error) {
      validUntil = deps.clock().getTime() + retryMs;
      log.warn({ err: error, usingKnown: members.size }, 'could not fetch the developer user group from Slack; using the developers known so far');
    }
    return members;
  }

  async function developerIds(): Promise<ReadonlySet<string>> {
    if (!group) return listed;
    if (deps.clock().getTime() < validUntil) return members;
    inFlight ??= refresh().finally(() => (inFlight = null));
    return inFlight;
  }

  return {
    developerIds,
    async isDeveloper(userId) {
      return (await developerIds()).has(userId);
    },
  };
}
