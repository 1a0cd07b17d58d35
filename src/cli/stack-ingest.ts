import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeDemoCatalogue } from "../ingest/demo/demo-catalogue.js";
import { INGEST_JS, runLogged, type StackProcess } from "./stack-process.js";

/**
 * Fills the stack's shared Weaviate once, before any replica serves: the service seeds only a
 * Weaviate it embeds itself, and three replicas each ingesting would be the very problem the
 * worker role solves. Runs `ingest.js --dump` of this build as a child (its log beside the
 * others) and records what it ingested in `<dir>/ingested.json`, so a restart over the same
 * folder skips it. `dataset` is "demo" (the generated demo catalogue) or a TikLiveAPI dump.
 */
export async function ingestOnce(opts: {
  dir: string;
  logDir: string;
  dataset: string;
  env: NodeJS.ProcessEnv;
  say: (line: string) => void;
  /** Told of the ingest's child process, so a signal can stop it. */
  track: (p: StackProcess) => void;
}): Promise<void> {
  const marker = join(opts.dir, "ingested.json");
  const source = opts.dataset === "demo" ? "demo" : resolve(opts.dataset);
  if (existsSync(marker)) {
    const done = JSON.parse(readFileSync(marker, "utf8")) as { source?: string; at?: string };
    if (done.source === source) {
      opts.say(`stack: ${source} already ingested (${done.at}); delete ${marker} to ingest again`);
      return;
    }
  }
  let dump = source;
  if (source === "demo") {
    dump = join(opts.dir, "demo-dump");
    mkdirSync(dump, { recursive: true });
    writeDemoCatalogue(dump);
  } else if (!["users", "posts", "comments"].every((d) => existsSync(join(source, d))))
    throw new Error(`--dataset ${source} is not a TikLiveAPI dump with users/, posts/ and comments/`);
  const started = Date.now();
  opts.say(`stack: ingesting ${source} into the cluster (log ${join(opts.logDir, "ingest.log")}) ...`);
  const run = runLogged("ingest", INGEST_JS, ["--dump", dump], opts.env, opts.logDir);
  opts.track(run);
  const code = await run.exited;
  if (code !== 0) throw new Error(`the ingest exited with ${code ?? "a signal"}; see ${run.logFile}`);
  const seconds = (Date.now() - started) / 1000;
  writeFileSync(marker, `${JSON.stringify({ source, at: new Date().toISOString(), seconds })}\n`);
  opts.say(`stack: ingested in ${seconds.toFixed(0)} s`);
}
