import { reportSubcommand } from './report.ts';
import type { Subcommand } from './subcommand.ts';

/** Every /bugs subcommand, in the order help lists them. Add new ones here. */
export const SUBCOMMANDS: Subcommand[] = [reportSubcommand];
