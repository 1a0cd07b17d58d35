import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Experiment, ExperimentArm } from "../domain/experiment.js";

/** What an arm may override; the ranges are the service's own settings' ranges. */
const armSettings = z
  .object({
    ranker: z.enum(["learned", "fixed"]).optional(),
    rerank: z.boolean().optional(),
    rerankWeight: z.number().min(0).max(1).optional(),
    maxPerCreator: z.number().int().min(1).max(50).optional(),
    recallSize: z.number().int().min(10).max(1000).optional(),
  })
  .strict();

const armInput = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, "1-40 letters, digits, '_', '.' or '-'"),
    weight: z.number().gt(0).lt(1).optional(),
    settings: armSettings.default({}),
  })
  .strict();

/** An experiment as an admin or the EXPERIMENTS_FILE defines it. */
export const experimentInput = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "1-64 lower-case letters, digits, '_' or '-'"),
    description: z.string().trim().max(500).default(""),
    arms: z.array(armInput).min(2).max(10),
    /** Mixed into the assignment hash; defaults to the id for config (stable), random for admins. */
    salt: z.string().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const names = e.arms.map((a) => a.name);
    if (new Set(names).size !== names.length)
      ctx.addIssue({ code: "custom", path: ["arms"], message: "arm names must be unique" });
    const given = e.arms.filter((a) => a.weight !== undefined).length;
    if (given !== 0 && given !== e.arms.length)
      ctx.addIssue({ code: "custom", path: ["arms"], message: "give every arm a weight, or none" });
    const sum = e.arms.reduce((s, a) => s + (a.weight ?? 0), 0);
    if (given === e.arms.length && Math.abs(sum - 1) > 1e-6)
      ctx.addIssue({ code: "custom", path: ["arms"], message: `weights must sum to 1 (they sum to ${sum})` });
  });

export type ExperimentInput = z.input<typeof experimentInput>;

/**
 * Default weights: 90/10 for two arms (the first is the control), equal shares otherwise.
 */
function weights(count: number): number[] {
  return count === 2 ? [0.9, 0.1] : Array.from({ length: count }, () => 1 / count);
}

/** A running experiment from a parsed definition. */
export function newExperiment(
  input: z.output<typeof experimentInput>,
  createdBy: string,
  now: Date,
): Experiment {
  const fallback = weights(input.arms.length);
  const arms: ExperimentArm[] = input.arms.map((a, i) => ({
    name: a.name,
    weight: a.weight ?? fallback[i]!,
    settings: a.settings,
  }));
  return {
    id: input.id,
    description: input.description,
    salt: input.salt ?? (createdBy === "config" ? input.id : `${input.id}:${randomUUID()}`),
    arms,
    status: "running",
    createdBy,
    startedAt: now,
  };
}

/** Whether two definitions split traffic the same way (same arms, weights and settings). */
export function sameArms(a: readonly ExperimentArm[], b: readonly ExperimentArm[]): boolean {
  const key = (arms: readonly ExperimentArm[]) =>
    JSON.stringify(arms.map((x) => [x.name, Math.round(x.weight * 1e9), Object.entries(x.settings).sort()]));
  return key(a) === key(b);
}

/** Every problem of a definition, one line each ("arms.1.weight: ..."). */
export function describeProblems(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join(".") || "experiment"}: ${i.message}`);
}
