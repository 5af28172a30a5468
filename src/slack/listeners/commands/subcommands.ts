// The list of `/bugs` subcommands the dispatcher and help read.
import { automationSubcommand } from './automation.ts';
import { bugActionSubcommand } from './bug-actions.ts';
import { mergeSubcommand, splitSubcommand } from './duplicates.ts';
import { findSubcommand } from './find.ts';
import { listSubcommand } from './list.ts';
import { releaseOrphanedClaimsCommand } from './release-claims.ts';
import { reportSubcommand } from './report.ts';
import { staleSubcommand } from './stale.ts';
import type { Subcommand } from './subcommand.ts';
import { sweepSubcommand } from './sweep.ts';

/** Every /bugs subcommand, in the order help lists them. Add new ones here. */
export const SUBCOMMANDS: Subcommand[] = [
  reportSubcommand,
  listSubcommand,
  findSubcommand,
  bugActionSubcommand({ action: 'claim', usage: 'claim <ref>', summary: 'take a bug on' }),
  bugActionSubcommand({
    action: 'release',
    usage: 'release <ref>',
    summary: 'give your claim back to the queue (admins: without a ref, release quiet claims)',
    onMissingRef: releaseOrphanedClaimsCommand,
  }),
  bugActionSubcommand({ action: 'resolve', usage: 'resolve <ref>', summary: 'mark a bug fixed, with a note' }),
  bugActionSubcommand({ action: 'reopen', usage: 'reopen <ref>', summary: 'reopen a resolved or closed bug' }),
  bugActionSubcommand({
    action: 'close',
    usage: 'close <ref> [reason]',
    summary: 'close a bug (reporters: withdraw your own)',
  }),
  bugActionSubcommand({
    action: 'escalate',
    usage: 'escalate <ref> [reason]',
    summary: 'escalate a bug; the sweep leaves it alone',
    adminOnly: true,
  }),
  automationSubcommand,
  mergeSubcommand,
  splitSubcommand,
  staleSubcommand,
  sweepSubcommand,
];
