// Every migration, in order: hand-written SQL, never generated from the entities (see src/db/mikro-orm.config.ts).
// Listed explicitly so the same list runs from source (type stripping) and from tests without depending on file
// discovery; each is recorded under its class name. Add each new migration here.
import { Migration20261124000000_initial_schema } from './Migration20261124000000_initial_schema.ts';
import { Migration20261125000000_notice_links } from './Migration20261125000000_notice_links.ts';
import { Migration20261125010000_millisecond_activity } from './Migration20261125010000_millisecond_activity.ts';
import { Migration20261125020000_unknown_senders } from './Migration20261125020000_unknown_senders.ts';
import { Migration20261202110000_report_source_view } from './Migration20261202110000_report_source_view.ts';
import { Migration20261202130000_slack_limits } from './Migration20261202130000_slack_limits.ts';
import { Migration20261203000000_agent_api } from './Migration20261203000000_agent_api.ts';
import { Migration20261203100000_duplicates_and_telemetry } from './Migration20261203100000_duplicates_and_telemetry.ts';
import { Migration20261203200000_legacy_import } from './Migration20261203200000_legacy_import.ts';
import { Migration20261203300000_sla_and_backlog_alerts } from './Migration20261203300000_sla_and_backlog_alerts.ts';
import { Migration20261203310000_sweep_cancel } from './Migration20261203310000_sweep_cancel.ts';
import { Migration20261203320000_sweep_heartbeats } from './Migration20261203320000_sweep_heartbeats.ts';
import { Migration20261203400000_turn } from './Migration20261203400000_turn.ts';
import { Migration20261203410000_digest } from './Migration20261203410000_digest.ts';
import { Migration20261203420000_engagement } from './Migration20261203420000_engagement.ts';
import { Migration20261203430000_follow_ups } from './Migration20261203430000_follow_ups.ts';
import { Migration20261203600000_thread_catch_up } from './Migration20261203600000_thread_catch_up.ts';
import { Migration20261203707100_sweep_schedule } from './Migration20261203707100_sweep_schedule.ts';
import { Migration20261203707400_channel_catch_up } from './Migration20261203707400_channel_catch_up.ts';
import { Migration20261203707500_duplicate_notice } from './Migration20261203707500_duplicate_notice.ts';
import { Migration20261203707510_imported_threads } from './Migration20261203707510_imported_threads.ts';
import { Migration20261203707520_fingerprint_backfill } from './Migration20261203707520_fingerprint_backfill.ts';
import { Migration20261203707700_sweep_index_statuses } from './Migration20261203707700_sweep_index_statuses.ts';
import { Migration20261204799000_bug_count_deltas } from './Migration20261204799000_bug_count_deltas.ts';

export const MIGRATIONS = [
  Migration20261124000000_initial_schema,
  Migration20261125000000_notice_links,
  Migration20261125010000_millisecond_activity,
  Migration20261125020000_unknown_senders,
  Migration20261202110000_report_source_view,
  Migration20261202130000_slack_limits,
  Migration20261203000000_agent_api,
  Migration20261203100000_duplicates_and_telemetry,
  Migration20261203300000_sla_and_backlog_alerts,
  Migration20261203310000_sweep_cancel,
  Migration20261203320000_sweep_heartbeats,
  Migration20261203400000_turn,
  Migration20261203410000_digest,
  Migration20261203420000_engagement,
  Migration20261203430000_follow_ups,
  Migration20261203600000_thread_catch_up,
  // After turn (whose sweep indexes it narrows), although its timestamp prefix is earlier.
  Migration20261203200000_legacy_import,
  Migration20261203707100_sweep_schedule,
  Migration20261203707400_channel_catch_up,
  Migration20261203707500_duplicate_notice,
  Migration20261203707510_imported_threads,
  Migration20261203707520_fingerprint_backfill,
  Migration20261203707700_sweep_index_statuses,
  Migration20261204799000_bug_count_deltas,
].map((migration) => ({ name: migration.name, class: migration }));
