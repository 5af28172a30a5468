// Giving back what start-up used. Loading the sources, discovering the ORM's metadata and building the zod schemas
// allocate a lot of short-lived objects, so V8 grows its young generation to the maximum (64 MB on Node 24) and
// keeps it: an idle bot held about 60 MB of empty heap. One memory-reducing collection once start-up is done
// returns it (measured by `npm run bench:startup`); the young generation grows again only under load.
// The collection is V8's own (its `gc` extension, taken for this one call and not left on globalThis), not the
// inspector's HeapProfiler.collectGarbage: loading the inspector keeps about 6 MB of Node's binary resident.
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Logger } from './logger.ts';

type GcOptions = { type: 'major'; execution: 'async'; flavor: 'last-resort' };

/** A full, memory-reducing garbage collection (what V8 does on a low-memory notification). */
export async function releaseStartupMemory(logger: Logger): Promise<void> {
  try {
    v8.setFlagsFromString('--expose-gc');
    // A new context gets the extension; the main one's globalThis stays without `gc`.
    const gc = vm.runInNewContext('gc') as (options: GcOptions) => Promise<void>;
    v8.setFlagsFromString('--no-expose-gc');
    await gc({ type: 'major', execution: 'async', flavor: 'last-resort' });
  } catch (error) {
    // A V8 without the extension: the memory is merely kept.
    logger.debug({ err: error }, 'could not collect start-up garbage');
  }
}
