// The one MikroORM configuration, used by the bot and the tests. Migrations are hand-written SQL listed in
// migrations/index.ts, never generated: the partial indexes, foreign keys and checks exist only there, and a diff
// against the entities would propose dropping them (and re-creating every primary key column).
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
      migrationsList: MIGRATIONS,
      snapshot: false,
      snapshotOnMigrate: false,
      silent: true,
    },
    // Nothing uses the global context: listeners and the sweep fork their own EntityManager.
    allowGlobalContext: false,
    pool: { min: 0, max: 10 },
    debug: false,
    ...overrides,
  });
}
