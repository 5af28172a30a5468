// What every operator command line shares: the bot's settings (.env / environment) and database, and the
// services' context without the Slack app. With the embedded database it uses the server the running bot started,
// or starts one itself.
import { existsSync } from 'node:fs';
import Table from 'cli-table3';
import type { AppContext } from '../app-context.ts';
import { createAppContext } from '../bugsweep.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { createLogger } from '../logger.ts';

function readConfig(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

export async function withContext<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = readConfig();
  const logger = createLogger({
    level: process.env.LOG_LEVEL ? config.logLevel : 'warn',
    pretty: false,
    toStderr: true,
  });
  const database = await openDatabase(config, logger);
  // No auth.test: the command line must work when Slack cannot be reached; it prints refs, not links.
  const ctx = createAppContext({
    config,
    orm: database.orm,
    logger,
    identity: { botId: '', botUserId: '', workspaceUrl: '' },
  });
  try {
    return await work(ctx);
  } finally {
    await ctx.notifier.stop();
    await database.close();
  }
}

/** A plain table (no colours: the output goes to files and scripts as often as to a terminal). */
export function plainTable(head: string[], rows: string[][]): string {
  const printed = new Table({ head, style: { head: [], border: [] }, wordWrap: true });
  printed.push(...rows);
  return printed.toString();
}

/** A titled table for the terminal; empty when there are no rows. */
export function table(title: string, head: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  return `${title} (${rows.length})\n${plainTable(head, rows)}\n`;
}
