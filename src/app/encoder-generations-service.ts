import type { Encoder } from "../embed/encoder.js";
import { encoderFamily, FINETUNED_NAME, type EncoderChoice } from "../embed/encoder-choice.js";
import { HUB_PREFIX } from "../embed/hub-encoder-files.js";
import { L3_NAME } from "../embed/paraphrase-l3-files.js";
import type { Logger } from "../platform/logger.js";
import { storeIsEmpty } from "../store/store-status.js";
import {
  claimStoreEncoder,
  recordedStoreEncoder,
  recordStoreEncoder,
} from "../store/server/store-encoder.js";
import { generationClassNames } from "../store/generations/generation-names.js";
import {
  readGenerationRecord,
  writeGenerationRecord,
  type Generation,
  type GenerationChange,
  type GenerationRecord,
  type GenerationsStatus,
} from "../store/generations/generation-record.js";
import { pinnedHandle } from "../store/generations/generation-schema.js";
import { createWriteGate } from "../store/generations/write-gate.js";
import type { WeaviateHandle } from "../store/weaviate-handle.js";
import { buildGeneration, switchGeneration, type BuildDeps } from "./generation-build.js";

/** A request's view of the store: every read it makes goes to this one generation. */
export interface PinnedStore {
  weaviate: WeaviateHandle;
  generation: number;
}

export interface EncoderGenerations {
  /** What writes embed with: the serving generation's encoder, following every switch. */
  readonly encoder: Encoder;
  pin(): PinnedStore;
  status(): GenerationsStatus;
  rebuild(choice: EncoderChoice, by: string): Promise<GenerationChange>;
  rollback(by: string): Promise<GenerationChange>;
  onSwitch(listener: (generation: number) => void): void;
  /** Settles when the rebuild running now (if any) ends. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface GenerationOptions {
  weaviate: WeaviateHandle;
  /** The encoder EMBED_MODEL names: the store is rebuilt into its space when it serves another. */
  configured: Encoder;
  makeEncoder: (choice: EncoderChoice) => Promise<Encoder>;
  /** Recomputes the cohorts of a generation from its users (recommend/query/cohort-refresh). */
  refreshCohorts: (weaviate: WeaviateHandle) => Promise<void>;
  graceHours: number;
  pageSize: number;
  log: Logger;
  /** Where the record lives; default the embedded store's data folder. */
  recordDir?: string;
  /** false: a mismatch at start only serves the store's encoder, no rebuild begins (tests). */
  autoRebuild?: boolean;
}

const L6_FAMILY = "sentence-transformers/all-MiniLM-L6-v2";
/**
 * The EMBED_MODEL value that loads a family's encoder. A fine-tuned family names one training run
 * (minilm-finetuned-<hash>); the folder may hold another run by now, which encoderOf refuses.
 * Any other family is a hub repo id.
 */
export const choiceFor = (family: string): EncoderChoice => {
  if (family === L6_FAMILY) return "auto";
  if (family === `sentence-transformers/${L3_NAME}`) return L3_NAME;
  if (family.startsWith(`${FINETUNED_NAME}-`)) return FINETUNED_NAME;
  return `${HUB_PREFIX}${family}`;
};

/**
 * The serving generation's class names, read before the schema is applied so a restart checks
 * and serves the classes the last switch chose (not the plain names of generation 1).
 */
export function servingClassNames(dataDir: string | undefined): Readonly<Record<string, string>> | undefined {
  const record = dataDir ? readGenerationRecord(dataDir) : undefined;
  return record && record.serving !== 1 ? generationClassNames(record.serving) : undefined;
}

/**
 * Encoder generations of the embedded store (docs/encoder.md#encoder-generations): serves the
 * generation the record names with its own encoder, and when EMBED_MODEL (or the admin
 * mutation) names another, rebuilds every vector-bearing class into a new generation in the
 * background, verifies it and switches to it; a killed rebuild resumes from its cursors.
 */
export async function openEncoderGenerations(opts: GenerationOptions): Promise<EncoderGenerations> {
  const { weaviate: base, configured, log } = opts;
  const recordDir = opts.recordDir ?? base.embedded?.dataDir;
  const wanted = encoderFamily(configured.modelId);
  if (!recordDir) {
    await claimStoreEncoder(base, wanted);
    return fixedGenerations(base, configured);
  }
  const record: GenerationRecord = readGenerationRecord(recordDir) ?? {
    serving: 1,
    generations: [
      {
        id: 1,
        encoder: recordedStoreEncoder(base) ?? ((await storeIsEmpty(base)) ? wanted : L6_FAMILY),
        state: "serving",
        createdAt: new Date().toISOString(),
        progress: {},
      },
    ],
  };
  const save = () => writeGenerationRecord(recordDir, record);
  save();
  // The app's write units hold it, so a switch neither mixes nor loses a write (write-gate.ts).
  base.writeGate ??= createWriteGate();
  const encoders = new Map<string, Encoder>([[wanted, configured]]);
  /** Keeps a loaded encoder by its family; a second load of one family is disposed. */
  const keep = async (encoder: Encoder): Promise<Encoder> => {
    const family = encoderFamily(encoder.modelId);
    const known = encoders.get(family);
    if (known && known !== encoder) await encoder.dispose();
    else encoders.set(family, encoder);
    return known ?? encoder;
  };
  const encoderOf = async (family: string) => {
    const known = encoders.get(family);
    if (known) return known;
    const loaded = await opts.makeEncoder(choiceFor(family));
    if (encoderFamily(loaded.modelId) !== family) {
      await loaded.dispose();
      throw new Error(
        `the generation's vectors come from ${family}, but EMBED_MODEL=${choiceFor(family)} loads ${encoderFamily(loaded.modelId)} now` +
          " (another training run's files?): restore that model's files, or rebuild a new generation instead",
      );
    }
    return keep(loaded);
  };
  const byId = (id: number) => record.generations.find((g) => g.id === id)!;
  let serving = await encoderOf(byId(record.serving).encoder);
  recordStoreEncoder(recordDir, byId(record.serving).encoder);
  base.classNames = record.serving === 1 ? undefined : generationClassNames(record.serving);
  const pins = new Map<number, PinnedStore>();
  const pin = (id: number) => {
    let found = pins.get(id);
    if (!found) pins.set(id, (found = { weaviate: pinnedHandle(base, id), generation: id }));
    return found;
  };
  const listeners: ((g: number) => void)[] = [];
  let running: Promise<void> | undefined;
  let stopped = false;

  const deps = (): BuildDeps => ({
    base,
    record,
    save,
    pin: (id) => pin(id).weaviate,
    pageSize: opts.pageSize,
    graceHours: opts.graceHours,
    refreshCohorts: opts.refreshCohorts,
    stopped: () => stopped,
    log,
    onSwitched: async (id) => {
      serving = await encoderOf(byId(id).encoder);
      recordStoreEncoder(recordDir, byId(id).encoder);
      for (const l of listeners) l(id);
    },
  });
  const run = (gen: Generation) => {
    running = (async () => {
      try {
        await buildGeneration(deps(), gen, await encoderOf(gen.encoder));
      } catch (err) {
        gen.state = "failed";
        gen.error = String((err as Error)?.message ?? err);
        save();
        log.error("encoder generation rebuild failed; the serving generation stays", {
          generation: gen.id,
          error: gen.error,
        });
      } finally {
        running = undefined;
      }
    })();
  };
  const start = (family: string): GenerationChange => {
    const gen: Generation = {
      id: Math.max(...record.generations.map((g) => g.id)) + 1,
      encoder: family,
      state: "building",
      createdAt: new Date().toISOString(),
      progress: {},
    };
    record.generations.push(gen);
    save();
    log.info("encoder generation rebuild started", {
      generation: gen.id,
      encoder: family,
      from: record.serving,
    });
    run(gen);
    return { kind: "started", generation: gen.id, encoder: family };
  };

  const building = record.generations.find((g) => g.state === "building");
  if (building) {
    log.info("resuming the encoder generation rebuild a stop cut short", { generation: building.id });
    run(building);
  } else if (byId(record.serving).encoder !== wanted && opts.autoRebuild !== false) {
    log.warn("EMBED_MODEL names another encoder than the store serves: rebuilding while it serves", {
      serving: byId(record.serving).encoder,
      wanted,
    });
    start(wanted);
  }
  const dropTimer = setInterval(() => void dropExpired(deps()).catch(() => {}), 60_000);
  dropTimer.unref();
  await dropExpired(deps());

  const writer = delegating(() => serving);
  return {
    encoder: writer,
    pin: () => pin(record.serving),
    status: () => ({
      supported: true,
      serving: record.serving,
      generations: structuredClone(record.generations),
    }),
    rebuild: async (choice) => {
      if (running)
        return {
          kind: "refused",
          reason: "a rebuild is running: wait for it (encoderGenerations shows its progress)",
        };
      // The family comes from the loaded model (a fine-tuned one's names its run), and a model
      // that is not provisioned fails here, before a generation exists.
      const family = encoderFamily((await keep(await opts.makeEncoder(choice))).modelId);
      if (family === byId(record.serving).encoder)
        return { kind: "refused", reason: `${family} serves already (generation ${record.serving})` };
      return start(family);
    },
    rollback: async () => {
      if (running)
        return {
          kind: "refused",
          reason:
            "a rebuild is running: its generation has not served yet, so there is nothing to roll back to from it",
        };
      const back = record.generations
        .filter((g) => g.state === "retired")
        .sort((a, b) => Date.parse(b.retiredAt!) - Date.parse(a.retiredAt!))[0];
      if (!back)
        return {
          kind: "refused",
          reason: "no retired generation is kept (none yet, or its grace period dropped it)",
        };
      const previous = record.serving;
      let encoder: Encoder;
      try {
        encoder = await encoderOf(back.encoder);
      } catch (err) {
        return {
          kind: "refused",
          reason: `generation ${back.id} cannot serve again: ${(err as Error).message}`,
        };
      }
      await switchGeneration(deps(), back, encoder, { catchUp: true });
      return { kind: "switched", generation: back.id, encoder: back.encoder, previous };
    },
    onSwitch: (l) => void listeners.push(l),
    idle: async () => {
      await running;
    },
    stop: async () => {
      stopped = true;
      clearInterval(dropTimer);
      await running;
      for (const e of encoders.values()) if (e !== configured) await e.dispose();
    },
  };
}

async function dropExpired(d: BuildDeps): Promise<void> {
  const { dropGenerationClasses } = await import("../store/generations/generation-schema.js");
  for (const g of d.record.generations.filter((x) => x.state === "retired" && x.dropAfter)) {
    if (Date.parse(g.dropAfter!) > Date.now()) continue;
    await dropGenerationClasses(d.base, g.id);
    g.state = "dropped";
    d.save();
    d.log.info("retired encoder generation dropped after its grace period", { generation: g.id });
  }
}

/** An encoder that forwards to whichever serves now: the ingest runner and first-party writes hold it. */
function delegating(current: () => Encoder): Encoder {
  return {
    get modelId() {
      return current().modelId;
    },
    get provider() {
      return current().provider;
    },
    get providerReason() {
      return current().providerReason;
    },
    get dim() {
      return current().dim;
    },
    countTokens: (text) => current().countTokens(text),
    embed: (texts) => current().embed(texts),
    dispose: async () => {},
  };
}

/** An external Weaviate: one generation, the configured encoder, rebuilds refused with the reason. */
function fixedGenerations(base: WeaviateHandle, encoder: Encoder): EncoderGenerations {
  const reason =
    "encoder generations need the embedded store (their record lives in its data folder); with WEAVIATE_URL, re-ingest into a fresh Weaviate with the new EMBED_MODEL";
  return {
    encoder,
    pin: () => ({ weaviate: base, generation: 1 }),
    status: () => ({ supported: false, serving: 1, generations: [] }),
    rebuild: async () => ({ kind: "refused", reason }),
    rollback: async () => ({ kind: "refused", reason }),
    onSwitch: () => {},
    idle: async () => {},
    stop: async () => {},
  };
}
