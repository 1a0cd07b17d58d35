import { loadConfig } from "../../src/platform/config/config.js";
import { createEncoder, type Encoder } from "../../src/embed/encoder.js";
import type { EncoderChoice } from "../../src/embed/encoder-choice.js";

/** The real encoder from MODELS_DIR (provisioned by `npm run provision`). */
export function testEncoder(variant: EncoderChoice = "auto"): Promise<Encoder> {
  const { models } = loadConfig();
  return createEncoder({ modelsDir: models.dir, variant, batchSize: models.batchSize, provider: "cpu" });
}
