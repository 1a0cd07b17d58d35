import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/platform/config/config.js";
import { hashKey } from "../../src/platform/config/api-keys.js";
import type { Logger } from "../../src/platform/logger.js";
import { REPO_ROOT } from "../../src/platform/paths.js";
import { readPassword } from "../../src/events/server/init-cluster.js";
import { applySchema } from "../../src/store/class-schema.js";
import { openScratchWeaviate } from "../../src/store/scratch-weaviate.js";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";
import { startApiServer, type ApiServerProcess } from "./api-server-process.js";
import { ingestDemoCatalogue } from "./demo-ingest.js";
import type { ServedRef } from "./event-batches.js";
import { postGraphQL } from "./load-driver.js";

export interface EventsServer {
  server: ApiServerProcess;
  /** The admin key's header: it may serve pages, record events and run experiments. */
  headers: Record<string, string>;
  /** The server's own embedded PostgreSQL, for the benches that go round the API. */
  pgUrl: string;
  weaviate: WeaviateHandle;
  stop(): Promise<void>;
}

/**
 * The real API as bench:load runs it, on a fresh Weaviate holding the demo catalogue (ingested
 * here: the server seeds only a Weaviate it embeds itself), and its embedded event store in a
 * throwaway folder; an admin key configured.
 */
export async function startEventsServer(
  log: Logger,
  extraEnv: Record<string, string> = {},
): Promise<EventsServer> {
  const root = mkdtempSync(join(tmpdir(), "bench-events-"));
  const dataDir = join(root, "postgres");
  const weaviate = await openScratchWeaviate("bench-events-weaviate", log);
  try {
    await applySchema(weaviate, log);
    await ingestDemoCatalogue(weaviate, loadConfig().models, log);
    const key = `trk_${randomBytes(24).toString("base64url")}`;
    const server = await startApiServer(
      weaviate,
      {
        NODE_ENV: "production",
        API_KEYS: `bench-events:admin:${hashKey(key)}`,
        EVENTS_DATA_DIR: dataDir,
        ...extraEnv,
      },
      600_000,
    );
    // postmaster.pid's fourth line is the port the server listens on.
    const port = readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[3]!.trim();
    const pgUrl = `postgres://postgres:${encodeURIComponent(readPassword(dataDir))}@127.0.0.1:${port}/postgres`;
    return {
      server,
      headers: { "x-api-key": key },
      pgUrl,
      weaviate,
      stop: async () => {
        await server.stop();
        await weaviate.close();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await weaviate.close();
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
}

const operation = (file: string) => readFileSync(join(REPO_ROOT, "schema", "operations", file), "utf8");

/** Starts an experiment through the admin mutation, so pages carry an arm and events roll up. */
export async function startExperiment(
  url: string,
  headers: Record<string, string>,
  id: string,
): Promise<void> {
  const answer = await postGraphQL(
    url,
    {
      query: operation("experiments.graphql"),
      operationName: "StartExperiment",
      variables: {
        input: {
          id,
          description: "bench:events",
          arms: [{ name: "control" }, { name: "no-rerank", settings: { rerank: false } }],
        },
      },
    },
    (data) =>
      data.startExperiment?.__typename === "Experiment"
        ? {}
        : { error: `startExperiment: ${JSON.stringify(data.startExperiment)}` },
    { headers },
  );
  if (!answer.ok) throw new Error(`could not start experiment ${id}: ${answer.error}`);
}

/** The demo catalogue's users (demo-catalogue.ts). */
export const DEMO_USERS = ["demo-user-skater-pt", ...Array.from({ length: 60 }, (_, i) => `demo-user-${i}`)];

/** Serves `pages` recommendation pages (4 in flight) and keeps each page's servedId and size. */
export async function servePages(
  url: string,
  headers: Record<string, string>,
  pages: number,
): Promise<ServedRef[]> {
  const query = operation("recommendations.graphql");
  const served: ServedRef[] = [];
  let next = 0;
  const errors: string[] = [];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < pages) {
        const i = next++;
        const answer = await postGraphQL(
          url,
          {
            query,
            operationName: "Recommendations",
            variables: { userId: DEMO_USERS[i % DEMO_USERS.length], first: 10 },
          },
          (data) => {
            const page = data.recommendations;
            if (!page?.servedId || !page.items?.length)
              return { error: `no servedId or no items: ${page?.__typename}` };
            served.push({ servedId: page.servedId, items: page.items.length });
            return {};
          },
          { headers },
        );
        if (!answer.ok) errors.push(answer.error ?? "failed");
      }
    }),
  );
  if (served.length === 0)
    throw new Error(`no page was served with a servedId: ${errors.slice(0, 3).join("; ")}`);
  return served;
}
