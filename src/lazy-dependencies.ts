// Dependencies of libraries loaded when first used, not when the library is: each held memory for the life of an
// idle bot that never used it (issue 17). Bolt requires Socket Mode's client (@slack/socket-mode, with the undici it
// bundles) up front in either mode, for its SocketModeReceiver: about 6 MB of idle resident memory and ~100 ms of
// start-up in HTTP mode. prom-client requires @opentelemetry/api for the CPU metric's exemplars, which bugsweep does
// not turn on. Imported by bin/bugsweep.mjs before the sources (a static import of a CommonJS library loads it while
// the importing graph is linked, before any of its modules runs), this puts a stand-in for each in require's cache
// that loads the real package at the first look at any of its exports: in Socket Mode, SocketModeReceiver's
// `new SocketModeClient(...)` while the App is constructed, so it works exactly as before. A stand-in is put only
// while neither the library nor the package is loaded.
import Module, { createRequire } from 'node:module';

type Exports = Record<PropertyKey, unknown>;

const fromHere = createRequire(import.meta.url);

/** Makes `dependency`, as `library` requires it, load at the first use of its exports. */
export function deferRequire(library: string, dependency: string): void {
  const libraryId = fromHere.resolve(library);
  const fromLibrary = createRequire(libraryId);
  const id = fromLibrary.resolve(dependency);
  const cache = fromLibrary.cache;
  if (cache[libraryId] !== undefined || cache[id] !== undefined) return;
  let real: Exports | undefined;
  const load = (): Exports => {
    if (real === undefined) {
      delete cache[id];
      real = fromLibrary(id) as Exports;
    }
    return real;
  };
  const standIn = new Module(id);
  standIn.filename = id;
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
  cache[id] = standIn;
}

deferRequire('@slack/bolt', '@slack/socket-mode');
deferRequire('prom-client', '@opentelemetry/api');
