// Preloaded into a bot process (NODE_OPTIONS=--import …/fault-injection.ts) to fail from inside it, as a bug would:
// on SIGUSR2 it throws where nothing catches (BUGSWEEP_TEST_FAULT=exception) or rejects a promise nobody awaits
// (BUGSWEEP_TEST_FAULT=rejection). The bot's own code has no such hook.
import path from 'node:path';

export const FAULT_INJECTION = path.resolve(import.meta.dirname, 'fault-injection.ts');

if (process.env.BUGSWEEP_TEST_FAULT) {
  process.on('SIGUSR2', () => {
    const fault = new Error(`injected ${process.env.BUGSWEEP_TEST_FAULT} from a test`);
    if (process.env.BUGSWEEP_TEST_FAULT === 'rejection') void Promise.reject(fault);
    else
      setImmediate(() => {
        throw fault;
      });
  });
}
