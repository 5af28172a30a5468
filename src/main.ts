// Composition root: config → logger → database → bugsweep → signals. Nothing else lives here.
// Started through bin/bugsweep.mjs, which refuses Node versions older than 24 in one line.
import { existsSync } from 'node:fs';
import { type Bugsweep, createBugsweep } from './bugsweep.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { createLogger } from './logger.ts';
import { releaseStartupMemory } from './memory.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger({ level: config.logLevel, pretty: config.env === 'development' });
let database: Database | undefined;
let bugsweep: Bugsweep | undefined;

// Signals are handled from the start, so a stop during start-up still stops the embedded database.
let stopping = false;
let exitCode = 0;
async function shutdown(signal: string, code = 0): Promise<void> {
  // A fault during a shutdown already under way still makes the exit non-zero.
  exitCode = Math.max(exitCode, code);
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: finishing in-flight work');
  const force = setTimeout(() => {
    logger.error('shutdown took too long, exiting');
    process.exit(1);
  }, 25_000);
  force.unref();
  let failed = false;
  await starting.catch(() => {});
  try {
    await bugsweep?.stop();
  } catch (error) {
    failed = true;
    logger.error({ err: error }, 'stopping the app failed');
  }
  // Always, so an embedded PostgreSQL never outlives the bot.
  try {
    await database?.close();
  } catch (error) {
    failed = true;
    logger.error({ err: error }, 'closing the database failed');
  }
  logger.info('bugsweep stopped');
  process.exit(failed ? 1 : exitCode);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// An error nothing caught is a bug, and the process must not die with work half done and an embedded PostgreSQL
// left running: the same graceful shutdown as SIGTERM, then exit 1 so a supervisor restarts the bot.
process.on('uncaughtException', (error) => {
  logger.fatal({ err: error }, 'uncaught exception: shutting down');
  void shutdown('uncaughtException', 1);
});
process.on('unhandledRejection', (reason) => {
  logger.fatal({ err: reason }, 'unhandled promise rejection: shutting down');
  void shutdown('unhandledRejection', 1);
});

const starting = (async () => {
  database = await openDatabase(config, logger);
  if (stopping) return;
  bugsweep = await createBugsweep({ config, orm: database.orm, logger });
  if (stopping) return;
  await bugsweep.start();
  // Once up, not before: start-up is not made longer for it (a request arriving meanwhile waits a moment, once).
  await releaseStartupMemory(logger);
})();
starting.catch((error: unknown) => {
  logger.fatal({ err: error }, 'bugsweep could not start');
  void shutdown('startup-failure', 1);
});
