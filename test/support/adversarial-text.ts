// Messages built to make text handling super-linear: 40,000 characters (Slack's maximum) of the characters the
// parsers look for, alone and mixed. Used by test/unit/adversarial-text.test.ts and bench/text.bench.ts.

import { saysAffectedToo } from '../../src/domain/engagement.ts';
import { fingerprintReport } from '../../src/domain/fingerprint.ts';
import {
  extractTelemetry,
  parseTelemetryQuery,
  plainText,
  titleFromText,
  truncate,
} from '../../src/domain/report-text.ts';
import { capMrkdwn, escapeMrkdwn } from '../../src/messages/blocks.ts';
import { parseMentionCommand } from '../../src/slack/parse/mention-command.ts';
import { parseMessageEvent } from '../../src/slack/parse/message-event.ts';

export const SLACK_MAX_TEXT = 40_000;

const filled = (unit: string, prefix = '', suffix = '') =>
  (prefix + unit.repeat(Math.ceil(SLACK_MAX_TEXT / unit.length))).slice(0, SLACK_MAX_TEXT - suffix.length) + suffix;

/** Name → a 40,000-character message. */
export const ADVERSARIAL_TEXTS: Record<string, string> = {
  '<': filled('<'),
  '*': filled('*'),
  _: filled('_'),
  '~': filled('~'),
  '`': filled('`'),
  ':': filled(':'),
  'a*…*b': filled('*', 'a', 'b'),
  'a_…_b': filled('_', 'a', 'b'),
  'nested <…|…>': filled('<', '', filled('a|<', '', '>').slice(20_000)),
  '<a|<b|…': filled('<a|<b|'),
  '<@U1…': filled('<@U1'),
  '<mailto:…': filled('<mailto:'),
  '<http://x|…': filled('|', '<http://x'),
  'hex run': filled('0123456789abcdef'),
  'release + hex run': filled('a', 'release '),
  'trace_id= + colons': filled(':', 'trace_id=ab1', 'x'),
  'trace id + spaces': filled(' ', 'trace id', '!'),
  'request-id + dots': filled('.', 'request-id: r1', 'x'),
  'Error: …': filled('Error: '),
  'at frames': filled('at a (b.js:1:2)\n'),
  'one-word clauses': filled('\na'),
  'mix <*_~`:|>': filled('<*_~`:|>'),
  'mix *a ': filled('*a '),
  'mix ~<@U1<http://x': filled('~<@U1<http://xcommit '),
  'mix &lt;```File "': filled('&lt;```File " '),
  'quotes then x': filled('"', '', 'x'),
};

/** Everything bugsweep does to the text of a message it receives, one entry per way in. */
export const TEXT_HANDLERS: Record<string, (text: string) => unknown> = {
  'message event parse': (text) =>
    parseMessageEvent({ type: 'message', channel: 'C0BUGS', user: 'U0REPORTER', ts: '1.2', text }, new Date(0)),
  titleFromText: (text) => titleFromText(text),
  extractTelemetry,
  'shortcut description': (text) => truncate(plainText(text), 3000),
  fingerprintReport: (text) => fingerprintReport({ title: titleFromText(text), description: text }),
  'saysAffectedToo (reply)': (text) => saysAffectedToo(text, {}),
  'saysAffectedToo (bug text)': (text) => saysAffectedToo('no idea, sorry', { text }),
  'mention command': parseMentionCommand,
  '/bugs find query': parseTelemetryQuery,
  'mrkdwn quote': (text) => capMrkdwn(escapeMrkdwn(text), 3000),
};
