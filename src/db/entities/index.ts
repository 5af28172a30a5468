// The tables as MikroORM entities (defineEntity): one file each, listed here for the ORM config. The schema's
// partial indexes, foreign keys and checks are written by hand in migrations/.
export { BugConversation, BugConversationSchema } from './bug-conversation.entity.ts';
export { BugEvent, BugEventSchema } from './bug-event.entity.ts';
export { BugReport, BugReportSchema } from './bug-report.entity.ts';
export { BugReportDedup, BugReportDedupSchema } from './bug-report-dedup.entity.ts';
export { SlackNotice, SlackNoticeSchema } from './slack-notice.entity.ts';
export { SweepRun, SweepRunSchema } from './sweep-run.entity.ts';
export { SweepState, SweepStateSchema } from './sweep-state.entity.ts';

import { BugConversationSchema } from './bug-conversation.entity.ts';
import { BugEventSchema } from './bug-event.entity.ts';
import { BugReportSchema } from './bug-report.entity.ts';
import { BugReportDedupSchema } from './bug-report-dedup.entity.ts';
import { SlackNoticeSchema } from './slack-notice.entity.ts';
import { SweepRunSchema } from './sweep-run.entity.ts';
import { SweepStateSchema } from './sweep-state.entity.ts';

export const ALL_ENTITIES = [
  BugReportSchema,
  BugReportDedupSchema,
  BugConversationSchema,
  BugEventSchema,
  SlackNoticeSchema,
  SweepRunSchema,
  SweepStateSchema,
];
