import type { Encoder } from "../embed/encoder.js";
import type { Logger } from "../platform/logger.js";
import { catchUp, copyPage, type CopyContext } from "../store/generations/generation-copy.js";
import { GENERATION_CLASSES, generationClassNames } from "../store/generations/generation-names.js";
import type { Generation, GenerationRecord } from "../store/generations/generation-record.js";
import { createGenerationClasses, pointServingAliases } from "../store/generations/generation-schema.js";
import { verifyGeneration } from "../store/generations/generation-verify.js";
import type { WeaviateHandle } from "../store/weaviate-handle.js";

export interface BuildDeps {
  base: WeaviateHandle;
  record: GenerationRecord;
  save: () => void;
  pin: (generation: number) => WeaviateHandle;
  pageSize: number;
  graceHours: number;
  refreshCohorts: (weaviate: WeaviateHandle) => Promise<void>;
  stopped: () => boolean;
  log: Logger;
  onSwitched: (generation: number) => Promise<void>;
}

/** Catch-up passes before the switch: ingestion may keep writing while the last one runs. */
const CATCH_UP_PASSES = 3;

const copyContext = (d: BuildDeps, from: number, to: number, encoder: Encoder): CopyContext => ({
  from: d.pin(from),
  to: d.pin(to),
  embed: async (texts) => (await encoder.embed(texts)).map((v) => Array.from(v)),
  modelId: encoder.modelId,
});

/**
 * Copies every vector-bearing class of the serving generation into `gen`, page by page in id
 * order, re-embedding stored texts with `encoder` (the cursor is saved after each page, so a
 * killed rebuild resumes there), then catches up with what ingestion wrote meanwhile, refreshes
 * the cohorts, verifies and switches. The serving generation serves throughout.
 */
export async function buildGeneration(d: BuildDeps, gen: Generation, encoder: Encoder): Promise<void> {
  const started = Date.now();
  await createGenerationClasses(d.base, gen.id, d.log);
  const ctx = copyContext(d, d.record.serving, gen.id, encoder);
  for (const className of GENERATION_CLASSES) {
    const progress = (gen.progress[className] ??= { copied: 0, done: false });
    let lastLog = 0;
    while (!progress.done) {
      if (d.stopped()) return;
      const page = await copyPage(ctx, className, progress.cursor, d.pageSize);
      if (page.copied === 0) progress.done = true;
      else Object.assign(progress, { cursor: page.cursor, copied: progress.copied + page.copied });
      d.save();
      if (progress.done || Date.now() - lastLog > 5_000) {
        lastLog = Date.now();
        d.log.info("encoder generation rebuild", { generation: gen.id, class: className, ...progress });
      }
    }
  }
  await switchGeneration(d, gen, encoder, { catchUp: true, started });
}

/**
 * Makes `gen` serve: brings it level with the serving generation (changed objects re-embedded)
 * while writes go on, then closes the write gate (write-gate.ts) for a last catch-up pass,
 * refreshes its cohorts, verifies it (equal counts, fresh centroids) and only then flips the
 * record, the handle the app writes through and the store's encoder marker, and opens the gate;
 * the serving aliases follow. A request pinned before the flip finishes on the old generation.
 * Used for rollback too.
 */
export async function switchGeneration(
  d: BuildDeps,
  gen: Generation,
  encoder: Encoder,
  opts: { catchUp: boolean; started?: number },
): Promise<void> {
  const from = d.record.serving;
  const ctx = copyContext(d, from, gen.id, encoder);
  const catchUpPass = async (pass: number | "last") => {
    let touched = 0;
    for (const className of GENERATION_CLASSES.filter((c) => c !== "Cohort"))
      touched += await catchUp(ctx, className);
    d.log.info("encoder generation catch-up", { generation: gen.id, pass, touched });
    return touched;
  };
  // While writes go on: each pass shortens the last one, which runs with the gate closed.
  for (let pass = 0; opts.catchUp && pass < CATCH_UP_PASSES; pass++)
    if ((await catchUpPass(pass)) === 0) break;
  const gate = d.base.writeGate;
  const closedAt = Date.now();
  const flip = async () => {
    if (gate && opts.catchUp) await catchUpPass("last"); // nothing writes now: it leaves no gap
    await d.refreshCohorts(d.pin(gen.id));
    const verification = await verifyGeneration(d.pin(from), d.pin(gen.id));
    if (!verification.ok)
      throw new Error(
        `generation ${gen.id} failed verification, generation ${from} keeps serving:\n  ${verification.problems.slice(0, 10).join("\n  ")}`,
      );
    const now = new Date();
    const old = d.record.generations.find((g) => g.id === from)!;
    Object.assign(old, {
      state: "retired",
      retiredAt: now.toISOString(),
      dropAfter: new Date(now.getTime() + d.graceHours * 3_600_000).toISOString(),
    });
    Object.assign(gen, {
      state: "serving",
      switchedAt: now.toISOString(),
      retiredAt: undefined,
      dropAfter: undefined,
      verified: {
        counts: verification.counts,
        centroidsChecked: verification.centroidsChecked,
        at: now.toISOString(),
      },
      ...(opts.started ? { buildSeconds: Math.round((Date.now() - opts.started) / 100) / 10 } : {}),
    });
    d.record.serving = gen.id;
    d.save();
    d.base.classNames = gen.id === 1 ? undefined : generationClassNames(gen.id);
    await d.onSwitched(gen.id);
    return { old, verification };
  };
  const { old, verification } = gate ? await gate.quiesce(flip) : await flip();
  const writesHeldSeconds = gate ? Math.round((Date.now() - closedAt) / 100) / 10 : undefined;
  await pointServingAliases(d.base, gen.id).catch((err) =>
    d.log.warn("serving aliases not moved (the service itself pins requests by generation)", {
      error: String(err),
    }),
  );
  d.log.info("encoder generation switched", {
    generation: gen.id,
    encoder: gen.encoder,
    previous: from,
    dropAfter: old.dropAfter,
    counts: verification.counts,
    centroidsChecked: verification.centroidsChecked,
    buildSeconds: gen.buildSeconds,
    writesHeldSeconds,
  });
}
