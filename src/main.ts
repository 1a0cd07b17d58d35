import "reflect-metadata";
import { ConfigError, loadConfig } from "./config/config.js";
import { createLogger } from "./logger.js";
import { startApp } from "./app.js";

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
const log = createLogger(config.logLevel);

try {
  const app = await startApp(config, log);
  log.info("graphql server listening", { url: app.server.url });
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn("second signal: exiting now", { signal });
      process.exit(130);
    }
    stopping = true;
    log.info("shutting down", { signal });
    await app.stop();
    log.info("stopped cleanly");
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, (s) => void shutdown(s));
} catch (err) {
  log.error("startup failed", { error: (err as Error).message });
  console.error(`\n${(err as Error).message}`);
  process.exit(1);
}
