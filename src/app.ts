import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "./config/config.js";
import { REPO_ROOT } from "./config/paths.js";
import { createEncoder, type Encoder } from "./embed/encoder.js";
import { contextFactory } from "./graphql/request-context.js";
import { buildGraphQLSchema } from "./graphql/schema.js";
import type { Logger } from "./logger.js";
import { startHttpServer, type RunningServer } from "./server/http-server.js";
import { createServices } from "./services.js";
import { seedDemoCatalogueIfEmpty } from "./ingest/demo-startup.js";
import { createIngestRunner } from "./ingest/ingest-runner.js";
import { scheduleIngestion } from "./ingest/ingest-schedule.js";
import { createTikLiveClient } from "./ingest/tiklive-client.js";
import { applySchema } from "./store/class-schema.js";
import { storeReady } from "./store/store-status.js";
import { openWeaviate, type WeaviateHandle } from "./store/weaviate-connection.js";

export interface App {
  server: RunningServer;
  weaviate: WeaviateHandle;
  encoder: Encoder;
  /** Drains HTTP, then releases the models and Weaviate (stopping the embedded server). */
  stop(): Promise<void>;
}

/** The explicit wiring of the whole service: every singleton is made here and passed down. */
export async function startApp(config: Config, log: Logger): Promise<App> {
  const weaviate = await openWeaviate(config.weaviate, log);
  let encoder: Encoder | undefined;
  try {
    await applySchema(weaviate, log);
    encoder = await createEncoder({ modelsDir: config.models.dir, ...config.models });
    log.info("encoder ready", { modelId: encoder.modelId, provider: encoder.provider });
    const runner = createIngestRunner({ weaviate, encoder, log });
    if (config.ingest.demoCatalogue === "auto") await seedDemoCatalogueIfEmpty(weaviate, runner, log);
    const schedules = config.tiklive
      ? scheduleIngestion(runner, () => createTikLiveClient({ ...config.tiklive!, log }), config.ingest, log)
      : { stop: () => {} };
    const services = createServices(weaviate, encoder, { cacheSeconds: config.recommendCacheSeconds });
    if (config.apiKeys.length === 0) log.warn("no API_KEYS configured: anyone on this address can read, nobody can administer");
    const server = await startHttpServer({
      schema: await buildGraphQLSchema(),
      context: contextFactory(services, config.apiKeys),
      ready: () => storeReady(weaviate),
      host: config.http.host,
      port: config.http.port,
      log,
      production: config.env === "production",
      explorerQuery: readFileSync(join(REPO_ROOT, "schema", "operations", "recommendations.graphql"), "utf8"),
    });
    const loaded = encoder;
    return {
      server,
      weaviate,
      encoder: loaded,
      stop: async () => {
        schedules.stop();
        await server.close();
        await loaded.dispose();
        await weaviate.close();
      },
    };
  } catch (err) {
    await encoder?.dispose();
    await weaviate.close();
    throw err;
  }
}
