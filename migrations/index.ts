// Every migration, in order. Listed explicitly so the same list runs from source (type stripping),
// from tests and from the CLI without depending on file discovery. Add each new migration here.
import { Migration20261124000000_initial_schema } from './Migration20261124000000_initial_schema.ts';
import { Migration20261125000000_notice_links } from './Migration20261125000000_notice_links.ts';
import { Migration20261125010000_millisecond_activity } from './Migration20261125010000_millisecond_activity.ts';
import { Migration20261125020000_unknown_senders } from './Migration20261125020000_unknown_senders.ts';

export const MIGRATIONS = [
  { name: 'Migration20261124000000_initial_schema', class: Migration20261124000000_initial_schema },
  { name: 'Migration20261125000000_notice_links', class: Migration20261125000000_notice_links },
  { name: 'Migration20261125010000_millisecond_activity', class: Migration20261125010000_millisecond_activity },
  { name: 'Migration20261125020000_unknown_senders', class: Migration20261125020000_unknown_senders },
];
