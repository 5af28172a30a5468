// A loopback server playing Slack's side of Socket Mode: every connection is greeted with hello, envelopes go to the
// newest connection, and the bot's acknowledgements come back by envelope id. Point apps.connections.open (on the
// fake Web API) at `url`.
import { type WebSocket, WebSocketServer } from 'ws';

export type Ack = { envelope_id: string; payload?: Record<string, unknown> };

export type FakeSocketMode = {
  url: string;
  /** Connections the bot has opened so far. */
  connections: WebSocket[];
  /** Resolves with the connection number `n` (1-based) once the bot has opened it. */
  connection(n: number): Promise<WebSocket>;
  /** Sends an envelope on the newest connection and resolves with the bot's acknowledgement. */
  envelope(type: string, payload: Record<string, unknown>, id: string): Promise<Ack>;
  /** What Slack sends before recycling a connection (a routine refresh): the client must reconnect. */
  askToReconnect(reason?: string): Promise<void>;
  close(): Promise<void>;
};

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const { port } = wss.address() as { port: number };
  const connections: WebSocket[] = [];
  const acks = new Map<string, (ack: Ack) => void>();
  const waiting: { n: number; resolve: (ws: WebSocket) => void }[] = [];

  wss.on('connection', (ws) => {
    connections.push(ws);
    ws.on('message', (data) => {
      const ack = JSON.parse(String(data)) as Ack;
      acks.get(ack.envelope_id)?.(ack);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'applink-test' },
        connection_info: { app_id: 'AAPP' },
      }),
    );
    for (const wait of waiting.filter((w) => w.n <= connections.length)) {
      waiting.splice(waiting.indexOf(wait), 1);
      wait.resolve(connections[wait.n - 1]!);
    }
  });

  const connection = (n: number) =>
    connections[n - 1]
      ? Promise.resolve(connections[n - 1]!)
      : new Promise<WebSocket>((resolve) => waiting.push({ n, resolve }));

  return {
    url: `ws://127.0.0.1:${port}/link/?ticket=test`,
    connections,
    connection,
    async envelope(type, payload, id) {
      const ws = await connection(Math.max(1, connections.length));
      const acked = new Promise<Ack>((resolve) => acks.set(id, resolve));
      ws.send(
        JSON.stringify({
          envelope_id: id,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          retry_attempt: 0,
          retry_reason: '',
        }),
      );
      return acked;
    },
    async askToReconnect(reason = 'refresh_requested') {
      const ws = await connection(Math.max(1, connections.length));
      ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-test' } }));
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
