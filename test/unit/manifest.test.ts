// manifest.json is what a user pastes into "Create app from manifest": it must name exactly what the code
// registers (the command, the shortcut's callback id) and ask for every event and scope the bot uses.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHORTCUTS, SLASH_COMMAND } from '../../src/messages/ids.ts';

type Manifest = {
  _metadata: { major_version: number };
  features: {
    app_home: { home_tab_enabled: boolean };
    bot_user: { display_name: string };
    shortcuts: { name: string; type: string; callback_id: string; description: string }[];
    slash_commands: { command: string; description: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
  };
};

const manifest = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../manifest.json'), 'utf8')) as Manifest;

describe('manifest.json', () => {
  it('declares the /bugs command and the "Report as bug" message shortcut the code listens for', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ name: 'Report as bug', type: 'message', callback_id: SHORTCUTS.reportAsBug }),
    ]);
  });

  it('has a bot user, App Home, interactivity and Socket Mode', () => {
    expect(manifest._metadata.major_version).toBe(1);
    expect(manifest.features.bot_user.display_name).toBe('bugsweep');
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('subscribes to the events the listeners handle, with the minimum scopes they need', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([
      'app_home_opened',
      'app_mention',
      'app_uninstalled',
      'message.channels',
      'message.groups',
      'reaction_added',
      'reaction_removed',
      'tokens_revoked',
    ]);
    // message.channels/.groups and conversations.replies: *:history; posting: chat:write; /bugs: commands;
    // DEVELOPER_USERGROUP: usergroups:read; @bugsweep in threads: app_mentions:read; ENGAGEMENT_EXEMPT's reactions
    // on a bug's root message: reactions:read with reaction_added/reaction_removed.
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      'app_mentions:read',
      'channels:history',
      'chat:write',
      'commands',
      'groups:history',
      'reactions:read',
      'usergroups:read',
    ]);
  });
});
