import weaviate, { type WeaviateClient } from "weaviate-client";
import type { WeaviateHandle } from "../weaviate-handle.js";
import type { Config } from "../../platform/config/config.js";
import type { Logger } from "../../platform/logger.js";
import { consistentClient } from "./consistent-client.js";
import { startEmbeddedWeaviate } from "../server/embedded-weaviate.js";
import { tryRecordStoreContents, verifyStoreContents } from "../server/store-marker.js";
import { resolveWeaviateBinary } from "../server/weaviate-binary.js";
import { failoverClient } from "./failover-client.js";
import { NodePool, type PoolNode } from "./node-pool.js";

export async function openWeaviate(cfg: Config["weaviate"], log: Logger): Promise<WeaviateHandle> {
  // Assigned, not spread: the handle's restUrl is a getter that follows the pool's current node.
  if (cfg.url) return Object.assign(await connectExternal(cfg, log), { replication: cfg.replication });
  const handle = await startEmbedded(cfg, log);
  // A pool of one node: no failover, but the one retry of a dead pooled socket.
  const client = consistentClient(handle.client, cfg.replication);
  const node: PoolNode = { url: handle.restUrl, connect: async () => client, close: async () => {} };
  const pool = new NodePool([node], cfg.failover, log);
  return { ...handle, client: failoverClient(pool, client), replication: cfg.replication, pool };
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

/** weaviate-client's options for one node of WEAVIATE_URL (and its WEAVIATE_GRPC_URL). */
function nodeOptions(node: Config["weaviate"]["nodes"][number], apiKey: string | undefined) {
  const http = new URL(node.url);
  const httpSecure = http.protocol === "https:";
  const grpc = node.grpcUrl ? new URL(node.grpcUrl) : undefined;
  const grpcSecure = grpc ? /^(grpcs|https):$/.test(grpc.protocol) : httpSecure;
  return {
    httpHost: http.hostname,
    httpPort: Number(http.port || (httpSecure ? 443 : 80)),
    httpSecure,
    httpPath: http.pathname === "/" ? undefined : http.pathname.replace(/\/$/, ""),
    grpcHost: grpc?.hostname ?? http.hostname,
    grpcPort: Number(grpc?.port || (grpc ? (grpcSecure ? 443 : 80) : 50051)),
    grpcSecure,
    authCredentials: apiKey ? new weaviate.ApiKey(apiKey) : undefined,
  };
}

/**
 * Connects to the nodes of WEAVIATE_URL: the first that answers serves, the others are
 * connected when a call fails over to them (a node down at start is no reason not to start).
 */
async function connectExternal(cfg: Config["weaviate"], log: Logger): Promise<Opened> {
  const nodes: PoolNode[] = cfg.nodes.map((node) => {
    let connecting: Promise<WeaviateClient> | undefined;
    const options = nodeOptions(node, cfg.apiKey);
    return {
      url: node.url.replace(/\/$/, ""),
      connect: () =>
        (connecting ??= weaviate
          .connectToCustom({ ...options, skipInitChecks: true })
          .then((c) => consistentClient(c, cfg.replication))),
      close: async () => void (await connecting?.then((c) => c.close()).catch(() => {})),
    };
  });
  const refusals: string[] = [];
  let first = -1;
  let version = "";
  for (const [i, node] of nodes.entries()) {
    try {
      version = (await (await node.connect()).getMeta()).version ?? "unknown";
      first = i;
      break;
    } catch (err) {
      refusals.push(`${node.url}: ${(err as Error).message}`);
    }
  }
  if (first < 0) {
    await Promise.all(nodes.map((n) => n.close()));
    throw new Error(
      `Could not connect to Weaviate at any of ${nodes.length} node(s):\n  ${refusals.join("\n  ")}\n` +
        "Check WEAVIATE_URL, WEAVIATE_GRPC_URL and WEAVIATE_API_KEY, or unset WEAVIATE_URL to run the embedded server.",
    );
  }
  const pool = new NodePool(nodes, cfg.failover, log, first);
  log.info("connected to weaviate", {
    url: pool.url,
    nodes: nodes.length,
    unreachable: refusals.length,
    version,
    ...cfg.replication,
  });
  return {
    client: failoverClient(pool, await nodes[first]!.connect()),
    get restUrl() {
      return pool.url;
    },
    headers: cfg.apiKey ? { Authorization: `Bearer ${cfg.apiKey}` } : {},
    mode: "external",
    pool,
    close: () => pool.close(),
  };
}
