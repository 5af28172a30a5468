// One PostgreSQL server per test run: embedded by default, or TEST_DATABASE_URL. Migrations are applied
// once to a template database; each test file then copies it (CREATE DATABASE ... TEMPLATE) in ~0.1 s.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { migrateToLatest, openOrm } from '../../src/db/orm.ts';
import { freePort } from './free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

const TEMPLATE = 'bugsweep_test_template';

export default async function setup(project: TestProject) {
  let adminUrl: string;
  let stopServer = async () => {};
  if (process.env.TEST_DATABASE_URL) {
    adminUrl = process.env.TEST_DATABASE_URL;
  } else {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bugsweep-test-pg-'));
    const server = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      persistent: false,
      // A server thrown away after the run need not survive a crash: no flushing to disk on every commit.
      extraFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    });
    adminUrl = server.urlFor('postgres');
    // A throwaway server: no need to survive a crash, so commits skip the disk flushes (reloadable settings).
    for (const setting of ['fsync', 'synchronous_commit', 'full_page_writes']) {
      await adminQuery(adminUrl, `alter system set ${setting} = off`);
    }
    await adminQuery(adminUrl, 'select pg_reload_conf()');
    stopServer = async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }

  await adminQuery(adminUrl, `drop database if exists ${TEMPLATE} with (force)`);
  await adminQuery(adminUrl, `create database ${TEMPLATE}`);
  const orm = await openOrm(withDatabase(adminUrl, TEMPLATE));
  await migrateToLatest(orm);
  await orm.close(true);

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', TEMPLATE);

  return async () => {
    await adminQuery(adminUrl, `drop database if exists ${TEMPLATE} with (force)`).catch(() => {});
    await stopServer();
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
