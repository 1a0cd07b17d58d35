import { ConfigError, loadConfig, type Config } from "./config.js";
import { createLogger, type Logger } from "../logger.js";

/**
 * A command's config (a bad one ends it through `fail`, listing every problem) and its logger:
 * at info the server's chatter would bury the command's own output, so commands log from warn.
 */
export function cliConfig(fail: (message: string) => never): { config: Config; log: Logger } {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    fail(err instanceof ConfigError ? err.message : String(err));
  }
  return { config, log: createLogger(config.logLevel === "info" ? "warn" : config.logLevel) };
}
