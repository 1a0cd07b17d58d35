/**
 * npm run bench:ingest -- [--dump <dir>] [--creators N]
 * Ingests a dump into a fresh embedded Weaviate and reports texts embedded/s, objects written/s,
 * where the time went, and memory over the run (ours and Weaviate's), so a leak or a
 * load-everything step shows up as memory growing with the comments read.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { configOrFail } from "../src/platform/config/config-or-fail.js";
import { REPO_ROOT } from "../src/platform/paths.js";
import { createEncoder } from "../src/embed/encoder.js";
import { createDumpSource } from "../src/ingest/sources/dump-source.js";
import { createIngestRunner } from "../src/ingest/ingest-runner.js";
import { applySchema } from "../src/store/class-schema.js";
import { openWeaviate } from "../src/store/client/weaviate-connection.js";

const { values: args } = parseArgs({
  options: {
    dump: { type: "string", default: join(REPO_ROOT, "..", "shared", "datasets", "tiktok-nesc-dev") },
    creators: { type: "string" },
  },
});
const root = mkdtempSync(join(tmpdir(), "bench-ingest-"));
const env: NodeJS.ProcessEnv = { ...process.env, WEAVIATE_DATA_DIR: join(root, "weaviate") };
delete env.WEAVIATE_URL;
const { config, log } = configOrFail("bench:ingest", { env: env });
const weaviate = await openWeaviate(config.weaviate, log);
await applySchema(weaviate, log);
const encoder = await createEncoder({ ...config.models, modelsDir: config.models.dir });
const source = createDumpSource(args.dump!);
const usernames = source.usernames().slice(0, args.creators ? Number(args.creators) : undefined);

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const weaviateRss = () => {
  try {
    const status = readFileSync(`/proc/${weaviate.embedded!.pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
};
const samples: { seconds: number; comments: number; rss: number; heap: number; weaviate: number }[] = [];
let comments = 0;
const started = Date.now();
const sample = () => {
  const m = process.memoryUsage();
  samples.push({
    seconds: (Date.now() - started) / 1000,
    comments,
    rss: m.rss,
    heap: m.heapUsed,
    weaviate: weaviateRss(),
  });
};
const timer = setInterval(sample, 5_000);
console.error(
  `bench:ingest: ${usernames.length} creators from ${args.dump} with ${encoder.modelId} on ${encoder.provider}`,
);
const outcome = await createIngestRunner({ weaviate, encoder, log }).run(source, usernames, {
  trigger: "bench",
  onProgress: (p) => {
    comments = p.counts.comments;
    if (p.phase === "creators")
      console.error(
        `  ${p.done}/${p.total} creators, ${p.counts.comments} comments, ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
  },
});
clearInterval(timer);
sample();
const c = outcome.counts;
const written = Object.values(c.written).reduce((a, b) => a + b, 0);
const t = c.timings;
console.log(`\nbench:ingest  ${args.dump}`);
console.log(`| metric | value |\n| --- | --- |`);
console.log(
  `| read | ${c.creators} creators, ${c.videos} videos, ${c.comments} comments, ${c.users} commenters |`,
);
console.log(
  `| written | ${Object.entries(c.written)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ")} |`,
);
console.log(`| wall time | ${outcome.seconds.toFixed(1)} s |`);
console.log(
  `| texts embedded/s | ${(c.embedded / outcome.seconds).toFixed(1)} (${c.embedded} texts, ${encoder.modelId}) |`,
);
console.log(`| objects written/s | ${(written / outcome.seconds).toFixed(1)} (${written} objects) |`);
console.log(
  `| time in stages (s) | fetch+parse ${t.fetch.toFixed(1)}, hash lookups ${t.lookup.toFixed(1)}, embed ${t.embed.toFixed(1)}, writes ${t.write.toFixed(1)} (overlapped), interests ${t.interests.toFixed(1)} |`,
);
console.log(
  `| peak RSS | ingest ${mb(Math.max(...samples.map((s) => s.rss)))} MB, weaviate ${mb(Math.max(...samples.map((s) => s.weaviate)))} MB |`,
);
console.log(
  `| errors | ${c.errors.length}, malformed items ${c.malformed.userinfo + c.malformed.posts + c.malformed.comments} |`,
);
console.log(`\nmemory as comments stream in (one row per ~10% of the run):`);
console.log(
  `| s | comments read | ingest RSS MB | ingest heap MB | weaviate RSS MB |\n| --- | --- | --- | --- | --- |`,
);
const step = Math.max(1, Math.floor(samples.length / 10));
for (const s of samples.filter((_, i) => i % step === 0 || i === samples.length - 1)) {
  console.log(
    `| ${s.seconds.toFixed(0)} | ${s.comments} | ${mb(s.rss)} | ${mb(s.heap)} | ${mb(s.weaviate)} |`,
  );
}
await encoder.dispose();
await weaviate.close();
rmSync(root, { recursive: true, force: true });
