// Composition root: config → logger → database → bugsweep → signals. Nothing else lives here.
import { existsSync } from 'node:fs';

// Started through bin/bugsweep.mjs, which refuses Node versions older than 24 in one line.
import { createBugsweep } from './bugsweep.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { createLogger } from './logger.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

let config;
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
const database = await openDatabase(config, logger);
const bugsweep = await createBugsweep({ config, orm: database.orm, logger });
await bugsweep.start();

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: finishing in-flight work');
  const force = setTimeout(() => {
    logger.error('shutdown took too long, exiting');
    process.exit(1);
  }, 25_000);
  force.unref();
  try {
    await bugsweep.stop();
    await database.close();
    logger.info('bugsweep stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
