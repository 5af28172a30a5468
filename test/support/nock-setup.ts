// A vitest setupFiles entry: in every test file nock refuses any request that leaves this machine, so no test
// can ever reach Slack (or anything else). Loopback stays open for the bot's own HTTP server, the loopback fake
// of the Web API (fake-slack-api.ts) and PostgreSQL; Slack's Web API in-process is nock-slack-api.ts.
// Files share a worker (vitest.config.ts: isolate off), so each starts from no interceptors at all: once a host
// has had one, nock answers 501 "no match" for it instead of refusing the connection.
import nock from 'nock';
import { refuseAllButLoopback } from './network.ts';

nock.cleanAll();
refuseAllButLoopback();
