import weaviate, { type WeaviateClient } from "weaviate-client";
import type { WeaviateHandle } from "../weaviate-handle.js";
import type { Config } from "../../platform/config/config.js";
import type { Logger } from "../../platform/logger.js";
import { consistentClient } from "./consistent-client.js";
import { startEmbeddedWeaviate } from "../server/embedded-weaviate.js";
import { tryRecordStoreContents, verifyStoreContents } from "../server/store-marker.js";
import { resolveWeaviateBinary } from "../server/weaviate-binary.js";

export async function openWeaviate(cfg: Config["weaviate"], log: Logger): Promise<WeaviateHandle> {
  const handle = await (cfg.url ? connectExternal(cfg, log) : startEmbedded(cfg, log));
  return {
    ...handle,
    client: consistentClient(handle.client, cfg.replication),
    replication: cfg.replication,
  };
}

type Opened = Omit<WeaviateHandle, "replication">;

async function startEmbedded(cfg: Config["weaviate"], log: Logger): Promise<Opened> {
  const binary = await resolveWeaviateBinary({ explicit: cfg.binary, cacheDir: cfg.cacheDir, log });
  const embedded = await startEmbeddedWeaviate({
    binary,
    dataDir: cfg.dataDir,
    log,
    modules: ["backup-filesystem"],
    env: { BACKUP_FILESYSTEM_PATH: cfg.backupPath },
  });
  let client: WeaviateClient | undefined;
  try {
    client = await weaviate.connectToLocal({
      host: embedded.host,
      port: embedded.httpPort,
      grpcPort: embedded.grpcPort,
    });
    const handle: WeaviateHandle = {
      client,
      restUrl: embedded.httpUrl,
      headers: {},
      mode: "embedded",
      replication: cfg.replication,
      embedded,
      close: async () => {
        await tryRecordStoreContents(handle, "clean shutdown", log);
        await client!.close();
        await embedded.stop();
      },
    };
    await verifyStoreContents(handle, cfg.dataDir);
    return handle;
  } catch (err) {
    await client?.close();
    await embedded.stop();
    throw err;
  }
}

async function connectExternal(cfg: Config["weaviate"], log: Logger): Promise<Opened> {
  const http = new URL(cfg.url!);
  const httpSecure = http.protocol === "https:";
  const grpc = cfg.grpcUrl ? new URL(cfg.grpcUrl) : undefined;
  const grpcSecure = grpc ? /^(grpcs|https):$/.test(grpc.protocol) : httpSecure;
  const options = {
    httpHost: http.hostname,
    httpPort: Number(http.port || (httpSecure ? 443 : 80)),
    httpSecure,
    httpPath: http.pathname === "/" ? undefined : http.pathname.replace(/\/$/, ""),
    grpcHost: grpc?.hostname ?? http.hostname,
    grpcPort: Number(grpc?.port || (grpc ? (grpcSecure ? 443 : 80) : 50051)),
    grpcSecure,
    authCredentials: cfg.apiKey ? new weaviate.ApiKey(cfg.apiKey) : undefined,
  };
  let client: WeaviateClient;
  try {
    client = await weaviate.connectToCustom(options);
  } catch (err) {
    throw new Error(
      `Could not connect to Weaviate at ${cfg.url} (gRPC ${options.grpcHost}:${options.grpcPort}): ${(err as Error).message}\n` +
        "Check WEAVIATE_URL, WEAVIATE_GRPC_URL and WEAVIATE_API_KEY, or unset WEAVIATE_URL to run the embedded server.",
    );
  }
  const version = (await client.getMeta()).version;
  log.info("connected to weaviate", {
    url: cfg.url,
    grpc: `${options.grpcHost}:${options.grpcPort}`,
    version,
    ...cfg.replication,
  });
  return {
    client,
    restUrl: cfg.url!.replace(/\/$/, ""),
    headers: cfg.apiKey ? { Authorization: `Bearer ${cfg.apiKey}` } : {},
    mode: "external",
    close: () => client.close(),
  };
}
