import "reflect-metadata";
import { startApp, type App } from "./app/start-app.js";
import { configOrFail } from "./platform/config/config-or-fail.js";

const { config, log } = configOrFail("tiktok-recs", { logs: "service" });

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
  log.info("graphql server listening", {
    role: config.role,
    url: app.server.url,
    explorer: app.server.url.replace(/graphql$/, "explorer/"),
  });
} catch (err) {
  log.error("startup failed", { error: (err as Error).message });
  console.error(`\n${(err as Error).message}`);
  process.exit(1);
}
