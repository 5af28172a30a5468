// Every callback, action and block id in one place, so registrations, builders and manifest.json agree.
export const SLASH_COMMAND = '/bugs';

export const SHORTCUTS = {
  reportAsBug: 'report_as_bug',
} as const;

export const VIEWS = {
  reportBug: 'report_bug_modal',
  resolveBug: 'resolve_bug_modal',
  releaseClaims: 'release_claims_modal',
  stillBroken: 'still_broken_modal',
} as const;

export const ACTIONS = {
  claim: 'bug_claim',
  release: 'bug_release',
  resolve: 'bug_resolve',
  reopen: 'bug_reopen',
  keepOpen: 'bug_keep_open',
  notDuplicate: 'bug_not_duplicate',
  verify: 'bug_verify',
  stillBroken: 'bug_still_broken',
  automationOff: 'bug_automation_off',
  automationOn: 'bug_automation_on',
  homeReport: 'home_report_bug',
  /** On the private answer to a late reply (value `bugId:replyTs`). */
  openFollowUp: 'bug_open_follow_up',
  /** App Home, admins only (issue 15). */
  homeReleaseClaims: 'home_release_claims',
  homePauseSweep: 'home_pause_sweep',
  homeResumeSweep: 'home_resume_sweep',
  homeRunSweep: 'home_run_sweep',
} as const;

/** Block ids of the button rows in bug threads: one per bug, so two cards' buttons never share an id. */
export const BLOCKS = {
  cardActions: (bugId: number) => `bug_card_actions:${bugId}`,
  warningActions: (bugId: number) => `warning_actions:${bugId}`,
  homeSweepActions: 'home_sweep_actions',
  duplicateActions: (bugId: number) => `duplicate_actions:${bugId}`,
  followUpActions: (bugId: number) => `follow_up_actions:${bugId}`,
} as const;

/** Block and action ids of modal inputs: view_submission values are keyed by these. */
export const INPUTS = {
  title: { block: 'title_block', action: 'title_input' },
  description: { block: 'description_block', action: 'description_input' },
  severity: { block: 'severity_block', action: 'severity_input' },
  traceId: { block: 'trace_block', action: 'trace_input' },
  release: { block: 'release_block', action: 'release_input' },
  resolutionNote: { block: 'resolution_note_block', action: 'resolution_note_input' },
  resolutionLink: { block: 'resolution_link_block', action: 'resolution_link_input' },
  stillBrokenNote: { block: 'still_broken_note_block', action: 'still_broken_note_input' },
} as const;

/** Slack message metadata event type carried by every post bugsweep makes (used to find a post after a crash). */
export const NOTICE_METADATA_EVENT = 'bugsweep_notice';
