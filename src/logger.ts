// The pino logger: one configuration for the bot and the command line, and the per-bug child logger.
import { type Logger, pino } from 'pino';

export type { Logger };

/** JSON lines in production; pretty output in development (pino-pretty is a devDependency, never loaded in production). */
export function createLogger(options: { level: string; pretty: boolean; toStderr?: boolean }): Logger {
  const settings = {
    level: options.level,
    base: { service: 'bugsweep' },
    redact: { paths: ['token', '*.token', 'headers.authorization'], remove: true },
    ...(options.pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'SYS:HH:MM:ss', ...(options.toStderr ? { destination: 2 } : {}) },
          },
        }
      : {}),
  };
  // The command line prints its tables on stdout; its logs go to stderr.
  return options.toStderr && !options.pretty ? pino(settings, pino.destination(2)) : pino(settings);
}

/** Every log line about a bug carries its id and reference. */
export function bugLogger(logger: Logger, bug: { id: number; ref: string }): Logger {
  return logger.child({ bugId: bug.id, bugRef: bug.ref });
}
