// Giving back what start-up used. Loading the sources (type stripping included), discovering the ORM's metadata and
// building the zod schemas allocate a lot of short-lived objects, so V8 grows its young generation to the maximum
// (64 MB on Node 24) and keeps it: an idle bot held about 60 MB of empty heap. One memory-reducing collection once
// start-up is done returns it (measured by `npm run bench:startup`); the young generation grows again only under load.
import type { Logger } from './logger.ts';

/** A full, memory-reducing garbage collection (V8's low-memory notification) through the in-process inspector. */
export async function releaseStartupMemory(logger: Logger): Promise<void> {
  try {
    const { Session } = await import('node:inspector/promises');
    const session = new Session();
    session.connect();
    try {
      await session.post('HeapProfiler.collectGarbage');
    } finally {
      session.disconnect();
    }
  } catch (error) {
    // A Node built without the inspector: the memory is merely kept.
    logger.debug({ err: error }, 'could not collect start-up garbage');
  }
}
