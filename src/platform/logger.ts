import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";

/**
 * Structured logs by pino: one JSON line per event on stderr (written synchronously, so nothing is
 * lost on exit), so stdout stays for command output. Each line has `level` (a name such as
 * "info"), `time` (ISO 8601), the logger's and the scope's fields, the call's fields, and `msg`.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const scope = new AsyncLocalStorage<Record<string, unknown>>();

/**
 * Runs `fn` with `fields` on every log line written inside it, across awaits: how a request id
 * reaches lines logged deep in the stack without threading a logger through every call.
 */
export function withLogFields<T>(fields: Record<string, unknown>, fn: () => T): T {
  return scope.run({ ...scope.getStore(), ...fields }, fn);
}

/** One synchronous stderr destination for every logger of the process, made on first use. */
let stderr: pino.DestinationStream | undefined;

export function createLogger(level: LogLevel = "info", base: Record<string, unknown> = {}): Logger {
  stderr ??= pino.destination({ dest: 2, sync: true });
  const root = pino(
    {
      level,
      base: undefined, // no pid or hostname
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // A copy: pino merges the call's fields into what mixin returns.
      mixin: () => ({ ...scope.getStore() }),
    },
    stderr,
  );
  return wrap(root, base);
}

/** A child's fields are merged with its parent's, so a field a child overrides appears once. */
function wrap(root: pino.Logger, bindings: Record<string, unknown>): Logger {
  const log = Object.keys(bindings).length ? root.child(bindings) : root;
  return {
    debug: (m, f) => log.debug(f ?? {}, m),
    info: (m, f) => log.info(f ?? {}, m),
    warn: (m, f) => log.warn(f ?? {}, m),
    error: (m, f) => log.error(f ?? {}, m),
    child: (fields) => wrap(root, { ...bindings, ...fields }),
  };
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
