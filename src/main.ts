import "reflect-metadata";
import { startApp, type App } from "./app/start-app.js";
import { ConfigError, loadConfig } from "./platform/config/config.js";
import { createLogger } from "./platform/logger.js";

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

// Signal handlers go in first: a signal that arrives during startup must not kill the process
// with its default action and leave the embedded Weaviate to the lifeline.
let app: App | undefined;
let stopRequested = false;
const stop = async () => {
  log.info("shutting down");
  await app!.stop();
  log.info("stopped cleanly");
  process.exit(0);
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopRequested) {
      log.warn("second signal: exiting now", { signal });
      process.exit(130);
    }
    stopRequested = true;
    log.info("stop requested", { signal });
    if (app) void stop();
  });
}

try {
  app = await startApp(config, log);
  if (stopRequested) await stop();
  log.info("graphql server listening", { url: app.server.url, explorer: app.server.url.replace(/graphql$/, "explorer/") });
} catch (err) {
  log.error("startup failed", { error: (err as Error).message });
  console.error(`\n${(err as Error).message}`);
  process.exit(1);
}
