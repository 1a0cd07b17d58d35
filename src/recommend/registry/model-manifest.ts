import { z } from "zod";

/** What the registry holds: the encoder (listed, not switched here), rankers and cross-encoders. */
export const MODEL_KINDS = ["encoder", "ranker", "cross-encoder"] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** The kinds that activateModel can switch while the service runs. */
export const SWITCHABLE_KINDS = ["ranker", "cross-encoder"] as const satisfies readonly ModelKind[];
export type SwitchableKind = (typeof SWITCHABLE_KINDS)[number];

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "a sha256 in lower-case hex");

export const modelFileSchema = z.object({
  /** Relative to the entry's folder (or its `root`), e.g. model.onnx, tokenizer.json. */
  name: z.string().min(1),
  sha256: hex64,
  bytes: z.number().int().nonnegative(),
});
export type ModelFile = z.infer<typeof modelFileSchema>;

/**
 * manifest.json of a registry entry. The trainer's own fields (the ranker's `features`, `model`,
 * `trainedAt`, ...) stay at the top level beside these, so the loaders read the same file the
 * trainer wrote; `passthrough` keeps them.
 */
export const modelManifestSchema = z
  .object({
    kind: z.enum(MODEL_KINDS),
    /** Unique within its kind; the folder's name. */
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, "letters, digits, . _ @ -"),
    /** ISO time the artefact was made (trained, exported, provisioned). */
    created: z.string().datetime({ offset: true }),
    /** In words: the data it was fitted on (dataset, partition, rows), or where it came from. */
    trainedOn: z.string(),
    /** Its evaluation figures by name (e.g. validationMeanUserAuc.gradient-boosting); empty when none. */
    evaluation: z.record(z.string(), z.number()),
    /** Every file the model needs, with its sha256: a file that differs is refused. */
    files: z.array(modelFileSchema).min(1),
    /** Where the files lie when not in the entry's folder (the provisioned encoder, listed in place). */
    root: z.string().optional(),
  })
  .passthrough();
export type ModelManifest = z.infer<typeof modelManifestSchema>;

/** Figures worth listing from a trainer's manifest: every finite number, one level of nesting flattened. */
export function evaluationFigures(
  details: Record<string, unknown>,
  keys: readonly string[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of keys) {
    const value = details[key];
    if (typeof value === "number" && Number.isFinite(value)) out[key] = value;
    else if (value && typeof value === "object")
      for (const [k, v] of Object.entries(value))
        if (typeof v === "number" && Number.isFinite(v)) out[`${key}.${k}`] = v;
  }
  return out;
}
