import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines in production; pretty output in development (pino-pretty is a devDependency, never loaded in production). */
export function createLogger(options: { level: string; pretty: boolean }): Logger {
  return pino({
    level: options.level,
    base: { service: 'bugsweep' },
    redact: { paths: ['token', '*.token', 'headers.authorization'], remove: true },
    ...(options.pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } } : {}),
  });
}

/** Every log line about a bug carries its id and reference. */
export function bugLogger(logger: Logger, bug: { id: number; ref: string }): Logger {
  return logger.child({ bugId: bug.id, bugRef: bug.ref });
}
