// A loopback TCP proxy in front of a server (PostgreSQL in the tests), to take it away and bring it back:
// `cut()` closes every open connection and refuses new ones; `restore()` accepts again on the same port.
import net from 'node:net';

export type TcpProxy = {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  proxiedUrl(url: string): string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  /** A hung server: connections stay open but nothing passes either way until `resume()`. */
  stall(): void;
  resume(): void;
  close(): Promise<void>;
};

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let stalled = false;
  const track = (socket: net.Socket) => {
    if (stalled) socket.pause();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const createServer = () =>
    net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      track(client);
      track(upstream);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
  const listen = (server: net.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
  const stop = (server: net.Server) =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });

  let server: net.Server | null = createServer();
  const port = await listen(server, 0);

  return {
    port,
    proxiedUrl(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    async cut() {
      if (!server) return;
      const closing = server;
      server = null;
      await stop(closing);
    },
    async restore() {
      if (server) return;
      server = createServer();
      await listen(server, port);
    },
    stall() {
      stalled = true;
      for (const socket of sockets) socket.pause();
    },
    resume() {
      stalled = false;
      for (const socket of sockets) socket.resume();
    },
    async close() {
      if (server) await stop(server);
      server = null;
    },
  };
}
