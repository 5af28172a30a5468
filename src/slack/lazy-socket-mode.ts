// Socket Mode's client (@slack/socket-mode, with the undici it bundles) loaded when Socket Mode is used, not with Bolt.
// Bolt requires it up front, for its SocketModeReceiver, in either mode; an HTTP-mode bot never uses it, yet held it
// for the life of the process: about 10 MB of idle resident memory and ~100 ms of start-up (issue 17). Imported by
// bin/bugsweep.mjs before the sources (a static import of Bolt loads Bolt while the importing graph is linked,
// before any of its modules runs), it puts a stand-in for the package in require's cache that loads the real one at
// the first look at any of its exports, which in Socket Mode is SocketModeReceiver's `new SocketModeClient(...)`
// while the App is constructed: Socket Mode works exactly as before. If Bolt or the package is loaded already, it
// does nothing.
import Module, { createRequire } from 'node:module';

type Exports = Record<PropertyKey, unknown>;

const fromHere = createRequire(import.meta.url);
const fromBolt = createRequire(fromHere.resolve('@slack/bolt'));
const socketModeId = fromBolt.resolve('@slack/socket-mode');
const cache = fromBolt.cache;

if (cache[fromHere.resolve('@slack/bolt')] === undefined && cache[socketModeId] === undefined) {
  let real: Exports | undefined;
  const load = (): Exports => {
    if (real === undefined) {
      delete cache[socketModeId];
      real = fromBolt(socketModeId) as Exports;
    }
    return real;
  };
  const standIn = new Module(socketModeId);
  standIn.filename = socketModeId;
  standIn.loaded = true;
  standIn.exports = new Proxy<Exports>(
    {},
    {
      get: (_target, key) => load()[key],
      has: (_target, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
  cache[socketModeId] = standIn;
}
