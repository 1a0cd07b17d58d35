import { ConfigError, loadConfig, type Config } from "./config.js";
import { createLogger, type LogLevel, type Logger } from "../logger.js";

export interface CommandConfig {
  config: Config;
  log: Logger;
}

export interface ConfigOrFailOptions {
  /** The environment to read (default process.env): benches point it at a scratch store. */
  env?: NodeJS.ProcessEnv;
  /** How a bad config ends the command; default: print `<command>: <problems>` and exit 1. */
  fail?: (message: string) => never;
  /**
   * "command" (default): at info the server's chatter would bury the command's own output, so
   * commands log from warn unless LOG_LEVEL asks for debug. "service": LOG_LEVEL as given.
   */
  logs?: "command" | "service";
}

/**
 * The one way an entry point reads its config: a bad environment ends it with every problem
 * listed and no stack trace, then exit code 1. Returns the config and a logger at the right level.
 */
export function configOrFail(command: string, opts: ConfigOrFailOptions = {}): CommandConfig {
  const fail: (message: string) => never = opts.fail ?? ((message) => exitWith(command, message));
  let config: Config;
  try {
    config = loadConfig(opts.env);
  } catch (err) {
    fail(err instanceof ConfigError ? err.message : String(err));
  }
  const level: LogLevel = opts.logs === "service" || config.logLevel !== "info" ? config.logLevel : "warn";
  return { config, log: createLogger(level) };
}

function exitWith(command: string, message: string): never {
  console.error(`${command}: ${message}`);
  process.exit(1);
}
