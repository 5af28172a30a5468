// What reaches /slack/events that Slack would not send, or that bugsweep does not handle: one request never takes
// the bot down, an authentic request is always answered 200 (so Slack keeps the subscription), unless a message
// could not be stored (500: Slack redelivers it), and nothing over 1 MB is read.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { BugConversation, BugReport } from '../../src/db/entities/index.ts';
import { useTestDatabase } from '../support/database.ts';
import { buttonPress, viewSubmission } from '../support/interaction-payloads.ts';
import { withoutInterception } from '../support/network.ts';
import { refuseRowsContaining } from '../support/refused-rows.ts';
import { postSigned, sendEvent, sendInteraction, signature, TEST_SIGNING_SECRET } from '../support/signed-requests.ts';
import { threadReply, topLevelMessage } from '../support/slack-events.ts';
import { TEST_CHANNEL, TEST_USERS, useTestApp } from '../support/test-app.ts';
import { slackTs } from '../support/test-clock.ts';

const db = useTestDatabase();
const t = useTestApp(db);

async function stillServing() {
  const health = await fetch(`${t.baseUrl}/healthz`);
  expect(health.status).toBe(200);
}

/**
 * The status of a POST whose body the server refuses before reading it all: the body goes out in pieces and the
 * request is dropped as soon as the answer arrives (a client writing on would only see the connection closed).
 */
function statusOfPost(body: string, headers: Record<string, string>, declareLength = true): Promise<number> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(`${t.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(declareLength ? { 'content-length': Buffer.byteLength(body) } : {}),
        ...headers,
      },
    });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pieces = body.match(/[\s\S]{1,65536}/g) ?? [];
    const writeNext = () => {
      const piece = pieces.shift();
      if (answered || piece === undefined) return;
      req.write(piece, () => setImmediate(writeNext));
    };
    writeNext();
  });
}

function signedHeaders(body: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature(TEST_SIGNING_SECRET, timestamp, body),
  };
}

const counts = async () => {
  const em = db.orm.em.fork();
  return { bugs: await em.count(BugReport, {}), rows: await em.count(BugConversation, {}) };
};

describe('bodies Slack would not send', () => {
  it.each([
    ['JSON null', 'null', 'application/json'],
    ['JSON true', 'true', 'application/json'],
    ['a JSON array', '[{"type":"event_callback"}]', 'application/json'],
    ['a JSON string', '"hello"', 'application/json'],
    ['a form whose payload is null', 'payload=null', 'application/x-www-form-urlencoded'],
    ['a form whose payload is not JSON', 'payload=%7Bnope', 'application/x-www-form-urlencoded'],
    ['text that is not JSON', '{"type":', 'application/json'],
  ])('%s is refused with 400 and the bot keeps serving', async (_name, body, contentType) => {
    const res = await postSigned(t.baseUrl, body, contentType);
    expect(res.status).toBe(400);
    await stillServing();
  });

  it.each([
    ['signed six minutes ago (a replay)', { age: 6 * 60 }],
    ['signed with another secret', { secret: 'not-the-signing-secret' }],
    ['with junk after its signature', { suffix: '00' }],
    ['without a timestamp', { timestamp: '' }],
    ['with a timestamp that is no number', { timestamp: '17e8' }],
  ])('is answered 401 when %s, and stores nothing', async (_name, how: Record<string, string | number>) => {
    const before = await counts();
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'TTEAM',
      event_id: 'EvSIGNED',
      event: topLevelMessage({ user: TEST_USERS.reporter, ts: slackTs(), text: 'Checkout is down' }),
    });
    const timestamp = String(Math.floor(Date.now() / 1000) - Number(how.age ?? 0));
    const signed = signature(String(how.secret ?? TEST_SIGNING_SECRET), Number(timestamp), body);
    const res = await fetch(`${t.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(how.timestamp ?? timestamp),
        'x-slack-signature': `${signed}${how.suffix ?? ''}`,
      },
      body,
    });
    expect(res.status).toBe(401);
    await t.idle();
    expect(await counts()).toEqual(before);
  });

  it('accepts a request signed four minutes ago', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'still-fresh' });
    const timestamp = Math.floor(Date.now() / 1000) - 4 * 60;
    const res = await fetch(`${t.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature(TEST_SIGNING_SECRET, timestamp, body),
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'still-fresh' });
  });

  it('is answered 401 unsigned before anything is parsed', async () => {
    const res = await postSigned(t.baseUrl, 'null', 'application/json', { tamper: true });
    expect(res.status).toBe(401);
  });

  it('refuses a body over 1 MB with 413 without reading it, signed or not', async () => {
    const before = await counts();
    const big = JSON.stringify({ type: 'event_callback', event: { type: 'message', text: 'x'.repeat(1_100_000) } });
    // The body is never finished: nock's interception would hold it until the end, so it is off for these two.
    await withoutInterception(async () => {
      expect(await statusOfPost(big, signedHeaders(big))).toBe(413);
      expect(await statusOfPost('y'.repeat(2_000_000), {}, false)).toBe(413);
    });
    expect(await counts()).toEqual(before);
    await stillServing();
  });
});

describe('events bugsweep does not handle', () => {
  it.each([
    ['function_executed', { type: 'function_executed', function: { callback_id: 'x' }, inputs: {} }],
    ['an unknown type', { type: 'made_up_event', whatever: 1 }],
    ['a message with a numeric user', { type: 'message', channel: TEST_CHANNEL, user: 12345, text: 'x', ts: '1.2' }],
    ['a message with an object text', { type: 'message', channel: TEST_CHANNEL, user: 'U1', text: {}, ts: '1.2' }],
    ['a message whose ts is an array', { type: 'message', channel: TEST_CHANNEL, user: 'U1', text: 'x', ts: [1] }],
  ])('%s is acknowledged with 200 and writes nothing', async (_name, event) => {
    const before = await counts();
    const res = await sendEvent(t.baseUrl, event);
    await t.idle();
    expect(res.status).toBe(200);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['null', null],
    ['true', true],
  ])('an event_callback whose event is %s is acknowledged with 200', async (_name, event) => {
    const body = JSON.stringify({ type: 'event_callback', team_id: 'TTEAM', event_id: 'EvODD', event });
    expect((await postSigned(t.baseUrl, body, 'application/json')).status).toBe(200);
    await stillServing();
  });

  it('an unknown button or modal is acknowledged at once, not after Bolt gives up at 3 s', async () => {
    const started = Date.now();
    const press = await sendInteraction(
      t.baseUrl,
      buttonPress({
        userId: TEST_USERS.developer,
        actionId: 'no_such_action',
        value: '1',
        channelId: TEST_CHANNEL,
        messageTs: '1.1',
      }),
    );
    const submit = await sendInteraction(
      t.baseUrl,
      viewSubmission({ userId: TEST_USERS.developer, values: {}, callbackId: 'no_such_view' }),
    );
    expect(press.status).toBe(200);
    expect(submit.status).toBe(200);
    // Generous against a loaded machine, and still well short of the 3 s after which Bolt would answer.
    expect(Date.now() - started).toBeLessThan(2_500);
  });
});

describe('a message that cannot be stored', () => {
  it('is answered 500 so Slack delivers it again, and the redelivery is stored once', async () => {
    const root = slackTs(t.clock.now());
    await sendEvent(t.baseUrl, topLevelMessage({ user: TEST_USERS.reporter, ts: root, text: 'Export button broken' }));
    await t.settle();
    const bug = await db.orm.em.fork().findOneOrFail(BugReport, { threadTs: root });
    const reply = threadReply({
      user: TEST_USERS.reporter,
      ts: slackTs(new Date(t.clock.now().getTime() + 1000)),
      threadTs: root,
      text: 'still refused here',
    });

    const undo = await refuseRowsContaining(db, 'bug_conversations', 'text', 'still refused here');
    let first: Awaited<ReturnType<typeof sendEvent>>;
    try {
      first = await sendEvent(t.baseUrl, reply, { eventId: 'EvRETRY1' });
    } finally {
      await undo();
    }
    expect(first.status).toBe(500);
    expect(await db.orm.em.fork().count(BugConversation, { bugId: bug.id })).toBe(1);

    const again = await sendEvent(t.baseUrl, reply, { eventId: 'EvRETRY1', retryNum: 1 });
    expect(again.status).toBe(200);
    const again2 = await sendEvent(t.baseUrl, reply, { eventId: 'EvRETRY1', retryNum: 2 });
    expect(again2.status).toBe(200);
    expect(await db.orm.em.fork().count(BugConversation, { bugId: bug.id })).toBe(2);
  });

  it('is answered only once it is stored: the row exists when the 200 arrives', async () => {
    const root = slackTs(new Date(t.clock.now().getTime() + 5000));
    const res = await sendEvent(
      t.baseUrl,
      topLevelMessage({ user: TEST_USERS.reporter, ts: root, text: 'Login loops' }),
    );
    expect(res.status).toBe(200);
    expect(await db.orm.em.fork().count(BugReport, { threadTs: root })).toBe(1);
  });
});
