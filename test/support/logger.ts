import { createLogger, type Logger } from '../../src/core/logger.js';

/** A real JSON logger whose lines are kept in memory, for asserting what was logged. */
export function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[]; text: () => string } {
  const raw: string[] = [];
  const logger = createLogger({ level: 'debug', buildTag: 'test-build', write: (line) => raw.push(line) });
  return {
    logger,
    get lines() {
      return raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    text: () => raw.join('\n'),
  };
}
