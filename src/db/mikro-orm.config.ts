// The one MikroORM configuration: used by the bot, the tests and the mikro-orm CLI
// (MIKRO_ORM_CLI_CONFIG=src/db/mikro-orm.config.ts, which reads DATABASE_URL).
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { MIGRATIONS } from '../../migrations/index.ts';
import { ALL_ENTITIES } from './entities/index.ts';

export function buildOrmConfig(clientUrl: string, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    migrations: {
      path: 'migrations',
      migrationsList: MIGRATIONS,
      snapshot: false,
      snapshotOnMigrate: false,
      silent: true,
      emit: 'ts',
      fileName: (timestamp, name) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
    // Nothing uses the global context: listeners and the sweep fork their own EntityManager.
    allowGlobalContext: false,
    pool: { min: 0, max: 10 },
    debug: false,
    ...overrides,
  });
}

export default buildOrmConfig(process.env.DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:54329/bugsweep');
