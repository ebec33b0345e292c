import { tryStringifyLenient } from './safe-json.js';

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** The logger handed to handlers as `ctx.logger`: one JSON object per line. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line it writes. */
  child(fields: LogFields): Logger;
}

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written. Default: `LOG_LEVEL` from the environment, else `'info'`. */
  level?: LogLevel;
  /** Added to every line as `build`; default `BUILD_TAG` from the environment. */
  buildTag?: string;
  /** Fields added to every line. */
  fields?: LogFields;
  /** Where lines go; default `process.stdout` (one JSON object per line, as CloudWatch expects). */
  write?: (line: string) => void;
}

function errorFields(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/** A JSON-lines logger. Errors in fields are written with their stack (logs only, never replies). */
export function createLogger(options: LoggerOptions = {}): Logger {
  const env = typeof process === 'undefined' ? {} : process.env;
  const level = LEVELS[options.level ?? (env.LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? LEVELS.info;
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const buildTag = options.buildTag ?? env.BUILD_TAG;
  const base: LogFields = { ...(buildTag ? { build: buildTag } : {}), ...options.fields };
  const make = (fields: LogFields): Logger => {
    const log = (lvl: Exclude<LogLevel, 'silent'>) => (message: string, extra?: LogFields) => {
      if (LEVELS[lvl] < level) return;
      // A logger never throws: fields that cannot be serialised (a cycle, a BigInt, a throwing getter)
      // are written leniently or replaced by a note, and a failing sink loses the line, not the call.
      try {
        const line: LogFields = { level: lvl, time: new Date().toISOString(), message, ...fields };
        try {
          if (extra) for (const [k, v] of Object.entries(extra)) line[k] = errorFields(v);
        } catch {
          line.fieldsError = 'the fields of this line could not be read';
        }
        write(tryStringifyLenient(line) ?? JSON.stringify({ level: lvl, time: line.time, message: String(message), fieldsError: 'the fields of this line could not be serialised' }));
      } catch {
        // Nowhere left to report it.
      }
    };
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (more) => make({ ...fields, ...more }),
    };
  };
  return make(base);
}
