import type { Services } from "../api/services.js";
import { ENCODER_NAMES, FINETUNED_NAME, type EncoderChoice } from "../embed/encoder-choice.js";
import { isHubChoice } from "../embed/hub-encoder-files.js";
import type { Logger } from "../platform/logger.js";
import type { EncoderGenerations } from "./encoder-generations-service.js";

type GenerationServices = Pick<
  Services,
  "encoderGenerations" | "rebuildEncoderGeneration" | "rollbackEncoderGeneration"
>;

const CHOICES: readonly string[] = ["auto", "q8", "fp32", ...ENCODER_NAMES, FINETUNED_NAME];

/** The admin side of encoder generations; without them (tests, CLIs) every change is refused with why. */
export function generationsService(
  generations: EncoderGenerations | undefined,
  opts: { onChange: () => void; log: Logger },
): GenerationServices {
  const off = { kind: "refused" as const, reason: "encoder generations are not wired in this process" };
  return {
    encoderGenerations: async () =>
      generations?.status() ?? { supported: false, serving: 1, generations: [] },
    rebuildEncoderGeneration: async (model, by) => {
      if (!generations) return off;
      if (!CHOICES.includes(model) && !isHubChoice(model))
        return {
          kind: "refused",
          reason: `unknown model "${model}": one of ${CHOICES.join(", ")} or hub:<org>/<name> (EMBED_MODEL's values)`,
        };
      const change = await generations.rebuild(model as EncoderChoice, by);
      opts.log.info("encoder generation rebuild asked", { by, model, outcome: change.kind });
      return change;
    },
    rollbackEncoderGeneration: async (by) => {
      if (!generations) return off;
      const change = await generations.rollback(by);
      opts.log.info("encoder generation rollback asked", { by, outcome: change.kind });
      if (change.kind === "switched") opts.onChange();
      return change;
    },
  };
}
