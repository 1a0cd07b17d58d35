/**
 * npm run ingest -- --dump <dir> [--creators a,b]   replay a folder of TikLiveAPI responses
 * npm run ingest -- --creators a,b,c                 fetch from the live TikLiveAPI
 * Writes into the configured Weaviate (embedded by default), prints progress and a summary.
 * Safe to rerun: unchanged objects are skipped and nothing is embedded twice.
 */
import "reflect-metadata";
import { parseArgs } from "node:util";
import { createEncoder } from "../embed/encoder.js";
import { createDumpSource } from "../ingest/sources/dump-source.js";
import { createIngestRunner } from "../ingest/ingest-runner.js";
import type { IngestProgress } from "../ingest/pipeline.js";
import type { TikTokSource } from "../ingest/sources/source.js";
import { createTikLiveClient } from "../ingest/sources/tiklive-client.js";
import { applySchema } from "../store/class-schema.js";
import { openWeaviate } from "../store/client/weaviate-connection.js";
import { claimStoreEncoder } from "../store/server/store-encoder.js";
import { encoderFamily } from "../embed/encoder-choice.js";
import { configOrFail } from "../platform/config/config-or-fail.js";
import { createProgress } from "../platform/progress.js";

function fail(message: string): never {
  console.error(`ingest: ${message}`);
  process.exit(2);
}

let args: { dump?: string; creators?: string };
try {
  args = parseArgs({ options: { dump: { type: "string" }, creators: { type: "string" } } }).values;
} catch (err) {
  fail((err as Error).message);
}
const { config, log } = configOrFail("ingest", { fail });
const listed = (args.creators ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);

let source: TikTokSource;
let usernames: string[];
if (args.dump) {
  const dump = createDumpSource(args.dump);
  source = dump;
  usernames = listed.length > 0 ? listed : dump.usernames();
} else if (listed.length > 0) {
  if (!config.tiklive) fail("--creators without --dump needs TIKLIVE_BASE_URL and TIKLIVE_API_KEY");
  source = createTikLiveClient({ ...config.tiklive, log });
  usernames = listed;
} else {
  fail("give --dump <dir> (a folder of TikLiveAPI responses) and/or --creators a,b,c");
}

const weaviate = await openWeaviate(config.weaviate, log);
const stop = async () => weaviate.close();
process.once("SIGINT", () => void stop().then(() => process.exit(130)));
process.once("SIGTERM", () => void stop().then(() => process.exit(143)));
let encoder: Awaited<ReturnType<typeof createEncoder>> | undefined;
try {
  await applySchema(weaviate, log);
  encoder = await createEncoder({ ...config.models, modelsDir: config.models.dir });
  await claimStoreEncoder(weaviate, encoderFamily(encoder.modelId));
  const runner = createIngestRunner({ weaviate, encoder, log });
  const bars = { creators: createProgress("creators "), interests: createProgress("interests") };
  const onProgress = ({ phase, done, total, counts }: IngestProgress) =>
    bars[phase].update(
      done,
      total,
      `videos ${counts.videos} comments ${counts.comments} embedded ${counts.embedded}`,
    );
  const outcome = await runner.run(source, usernames, {
    trigger: "cli",
    postsPerCreator: config.ingest.postsPerCreator,
    commentsPerVideo: config.ingest.commentsPerVideo,
    onProgress,
  });
  bars.creators.done();
  bars.interests.done();
  const c = outcome.counts;
  console.log(
    `ingest ${outcome.status} in ${outcome.seconds.toFixed(1)} s (run ${outcome.runId}, ${source.name})`,
  );
  console.log(
    `  read:      ${c.creators} creators, ${c.videos} videos, ${c.comments} comments, ${c.users} commenters`,
  );
  console.log(`  embedded:  ${c.embedded} texts with ${encoder.modelId}`);
  console.log(
    `  written:   ${
      Object.entries(c.written)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "nothing (all unchanged)"
    }`,
  );
  console.log(`  unchanged: ${c.unchanged} objects left as they were`);
  console.log(
    `  malformed: userinfo ${c.malformed.userinfo}, posts ${c.malformed.posts}, comments ${c.malformed.comments} items skipped`,
  );
  if (c.errors.length > 0)
    console.log(`  errors (${c.errors.length}):\n    ${c.errors.slice(0, 20).join("\n    ")}`);
} catch (err) {
  console.error(`ingest failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await encoder?.dispose();
  await stop();
}
