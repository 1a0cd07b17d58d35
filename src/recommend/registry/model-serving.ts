import type { LearnedRanker } from "../rank/learned-ranker.js";
import { rankerStatusOf, type RankerStatus } from "../rank/ranker-setup.js";
import { rerankStage, rerankStatusOf, type RerankStatus } from "../rerank/rerank-setup.js";
import type { RerankDeps } from "../rerank/rerank-stage.js";
import { writeActive } from "./active-models.js";
import { loadCrossEncoderEntry, loadRankerEntry, type Loaded, type RefusalCode } from "./model-loaders.js";
import type { SwitchableKind } from "./model-manifest.js";
import { readEntry, type RegistryEntry } from "./model-registry.js";
import { servingSlot, type ServingSlot } from "./serving-slot.js";
import { startingModels, type ModelServingOptions, type ServedRerank } from "./starting-models.js";

export type { ModelServingOptions, ServedRerank };

export type ModelChange =
  | { kind: "activated"; model: SwitchableKind; id: string | null; previous: string | null }
  | {
      kind: "refused";
      model: SwitchableKind;
      id: string | null;
      code: RefusalCode | "NOTHING_TO_ROLL_BACK";
      reason: string;
      serving: string | null;
    };

/** The models one request runs on, taken once at its start; release() when it is answered. */
export interface ModelLease {
  ranker?: LearnedRanker;
  rerank?: RerankDeps;
  ids: Record<SwitchableKind, string | null>;
  release(): void;
}

/**
 * The serving ranker and cross-encoder, switchable while the service runs. An activation loads and
 * probes the new model beside the serving one, records it in active.json, then swaps it in for
 * the next request; requests already running finish on the old one, which is then disposed. A
 * model refused (missing file, hash mismatch, load failure, broken contract) changes nothing.
 */
export async function startModelServing(opts: ModelServingOptions) {
  const { registry, log } = opts;
  const start = await startingModels(opts, loadEntry);
  const history: Record<SwitchableKind, (string | null)[]> = {
    ranker: start.ranker.history,
    "cross-encoder": start.crossEncoder.history,
  };
  const onDisposeError = (err: unknown) =>
    log.warn("a retired model failed to dispose", { error: String(err) });
  const rankers: ServingSlot<LearnedRanker> = servingSlot(start.ranker, (m) => m.dispose(), onDisposeError);
  const reranks: ServingSlot<ServedRerank> = servingSlot(
    start.crossEncoder,
    (m) => m.encoder.dispose(),
    onDisposeError,
  );
  const rankerStatus: RankerStatus = rankerStatusOf(start.ranker.id, start.ranker.reason);
  const rerankStatus: RerankStatus = rerankStatusOf(
    opts.rerank.budgetMs,
    start.crossEncoder.model?.deps,
    start.crossEncoder.id ?? start.crossEncoder.configuredId,
    start.crossEncoder.reason,
  );
  const replace = <T extends object>(target: T, next: T) => {
    for (const key of Object.keys(target)) delete (target as Record<string, unknown>)[key];
    Object.assign(target, next);
  };

  async function loadEntry(kind: SwitchableKind, entry: RegistryEntry): Promise<Loaded<unknown>> {
    if (kind === "ranker") return loadRankerEntry(entry);
    const { maxTokens, threads } = opts.rerank;
    const loaded = await loadCrossEncoderEntry(entry, {
      fallbackTokenizerDir: opts.encoderDir,
      maxTokens,
      threads,
      provider: opts.provider,
    });
    if (!loaded.ok) return loaded;
    const deps = await rerankStage(loaded.model, opts.rerank, log);
    return { ok: true, model: { encoder: loaded.model, deps } satisfies ServedRerank };
  }

  const disposeLoaded = (kind: SwitchableKind, model: unknown) =>
    kind === "ranker" ? (model as LearnedRanker).dispose() : (model as ServedRerank).encoder.dispose();
  const slotOf = (kind: SwitchableKind) => (kind === "ranker" ? rankers : reranks) as ServingSlot<unknown>;
  const servingId = (kind: SwitchableKind) => slotOf(kind).current().id;

  /** Loads `id` (null: none) and swaps it in; `nextHistory` is what active.json keeps behind it. */
  async function switchTo(
    kind: SwitchableKind,
    id: string | null,
    nextHistory: (string | null)[],
    by: string,
  ): Promise<ModelChange> {
    const serving = servingId(kind);
    const refuse = (code: Extract<ModelChange, { kind: "refused" }>["code"], reason: string): ModelChange => {
      log.warn("model refused: the serving one stays", { model: kind, id, code, reason, serving });
      return { kind: "refused", model: kind, id, code, reason, serving };
    };
    let model: unknown;
    if (id !== null) {
      let entry: RegistryEntry | undefined;
      try {
        entry = readEntry(registry, kind, id);
      } catch (err) {
        return refuse("CONTRACT_BROKEN", (err as Error).message);
      }
      if (!entry) return refuse("NOT_FOUND", `no ${kind} ${id} in the registry at ${registry}`);
      const loaded = await loadEntry(kind, entry);
      if (!loaded.ok) return refuse(loaded.code, loaded.reason);
      model = loaded.model;
    }
    try {
      writeActive(registry, kind, id, nextHistory, by);
    } catch (err) {
      // Not recorded, not served: a restart would silently go back, so the operator must know now.
      if (model) await disposeLoaded(kind, model);
      throw new Error(
        `could not record the ${kind} choice in ${registry}/active.json: ${(err as Error).message}`,
      );
    }
    history[kind] = nextHistory;
    const drained = slotOf(kind).swap(id, model);
    if (kind === "ranker") replace(rankerStatus, rankerStatusOf(id, `${kind} deactivated by ${by}`));
    else
      replace(
        rerankStatus,
        rerankStatusOf(
          opts.rerank.budgetMs,
          (model as ServedRerank | undefined)?.deps,
          id ?? undefined,
          "rolled back to none",
        ),
      );
    for (const listener of listeners) listener(kind, id);
    log.info("model activated", { model: kind, id, previous: serving, by });
    void drained.then(() => log.info("retired model released", { model: kind, id: serving }));
    return { kind: "activated", model: kind, id, previous: serving };
  }

  const listeners: ((kind: SwitchableKind, id: string | null) => void)[] = [];

  // One change at a time: two admins activating at once must not interleave load, record and swap.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => {});
    return next;
  };

  return {
    registry,
    modelsDir: opts.modelsDir,
    rankerStatus,
    rerankStatus,
    /** The registry id serving this kind now; null: none. */
    serving: servingId,
    acquire(): ModelLease {
      const ranker = rankers.acquire();
      const rerank = reranks.acquire();
      return {
        ranker: ranker.model,
        rerank: rerank.model?.deps,
        ids: { ranker: ranker.id, "cross-encoder": rerank.id },
        release() {
          ranker.release();
          rerank.release();
        },
      };
    },
    /** Told after every swap (metrics that name the serving model). */
    onSwap: (listener: (kind: SwitchableKind, id: string | null) => void) => void listeners.push(listener),
    /** The serving cross-encoder's queue, for the rerank metrics. */
    rerankQueue: () => reranks.current().model?.deps.queue,
    activate: (kind: SwitchableKind, id: string, by: string) =>
      serial(async () =>
        id === servingId(kind)
          ? ({ kind: "activated", model: kind, id, previous: id } as ModelChange)
          : switchTo(kind, id, [...history[kind], servingId(kind)], by),
      ),
    rollback: (kind: SwitchableKind, by: string) =>
      serial(async () => {
        const past = history[kind];
        if (past.length === 0)
          return {
            kind: "refused",
            model: kind,
            id: null,
            code: "NOTHING_TO_ROLL_BACK",
            reason: `no earlier ${kind} recorded in ${registry}/active.json`,
            serving: servingId(kind),
          } as ModelChange;
        return switchTo(kind, past.at(-1)!, past.slice(0, -1), by);
      }),
    async close(): Promise<void> {
      await Promise.all([rankers.close(), reranks.close()]);
    },
  };
}

export type ModelServing = Awaited<ReturnType<typeof startModelServing>>;
