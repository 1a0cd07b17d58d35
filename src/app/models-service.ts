import type { ModelView, Services } from "../api/services.js";
import type { Experiment } from "../domain/experiment.js";
import { encoderEntries } from "../recommend/registry/encoder-entries.js";
import {
  SWITCHABLE_KINDS,
  type ModelManifest,
  type SwitchableKind,
} from "../recommend/registry/model-manifest.js";
import { listEntries } from "../recommend/registry/model-registry.js";
import type { ModelServing } from "../recommend/registry/model-serving.js";
import type { Logger } from "../platform/logger.js";

/** Arms of the running experiment that serve the model of this kind (the others override it off). */
export function armsServing(kind: SwitchableKind, running: Experiment | undefined): string[] {
  return (running?.arms ?? [])
    .filter((a) => (kind === "ranker" ? a.settings.ranker !== "fixed" : a.settings.rerank !== false))
    .map((a) => `${running!.id}/${a.name}`);
}

const view = (m: ModelManifest, serving: boolean, arms: string[]): ModelView => ({
  kind: m.kind,
  id: m.id,
  created: m.created,
  trainedOn: m.trainedOn,
  evaluation: m.evaluation,
  files: m.files,
  serving,
  arms: serving ? arms : [],
});

/**
 * The registry as the admin API sees it, and activation through it. Activation clears the result
 * cache: a page cached under the old model must not be served as the new one's.
 */
export function modelsService(
  models: ModelServing | undefined,
  opts: {
    registry: string;
    modelsDir: string;
    encoderModelId: string;
    running: () => Experiment | undefined;
    onChange: () => void;
    log: Logger;
  },
): Pick<Services, "models" | "activateModel" | "rollbackModel"> {
  const notWired = async (kind: SwitchableKind) => ({
    kind: "refused" as const,
    model: kind,
    id: null,
    code: "NOT_FOUND" as const,
    reason: "model activation is not wired in this process",
    serving: null,
  });
  return {
    async models() {
      if (!models) return [];
      const running = opts.running();
      const encoders = (await encoderEntries(opts.modelsDir)).map((m) =>
        view(
          m,
          m.servedAs === opts.encoderModelId,
          running ? running.arms.map((a) => `${running.id}/${a.name}`) : [],
        ),
      );
      const switchable = SWITCHABLE_KINDS.flatMap((kind) => {
        const { entries, problems } = listEntries(opts.registry, kind);
        for (const problem of problems) opts.log.warn("unreadable registry entry", { problem });
        const serving = models.serving(kind);
        return entries.map((e) => view(e.manifest, e.manifest.id === serving, armsServing(kind, running)));
      });
      return [...encoders, ...switchable];
    },
    async activateModel(kind, id, by) {
      if (!models) return notWired(kind);
      const change = await models.activate(kind, id, by);
      if (change.kind === "activated") opts.onChange();
      return change;
    },
    async rollbackModel(kind, by) {
      if (!models) return notWired(kind);
      const change = await models.rollback(kind, by);
      if (change.kind === "activated") opts.onChange();
      return change;
    },
  };
}
