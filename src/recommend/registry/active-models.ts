import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { SWITCHABLE_KINDS, type SwitchableKind } from "./model-manifest.js";

/**
 * active.json in the registry folder: which ranker and cross-encoder serve, and what served before
 * each activation (for rollback). `null` is "none": the fixed blend ranks, or rerank is off. A
 * kind without an entry serves what RANKER_MODEL / RERANK_MODEL name, as before the registry.
 */
const slotSchema = z.object({
  id: z.string().nullable(),
  /** What served before, most recent last; rollbackModel pops it. */
  history: z.array(z.string().nullable()),
  at: z.string(),
  by: z.string(),
});
const activeSchema = z.partialRecord(z.enum(SWITCHABLE_KINDS), slotSchema);
export type ActiveSlot = z.infer<typeof slotSchema>;
export type ActiveModels = z.infer<typeof activeSchema>;

/** History kept per kind: enough to step back a few times, small enough to read at a glance. */
const HISTORY = 20;

export const activePath = (registry: string) => join(registry, "active.json");

export function readActive(registry: string): ActiveModels {
  const path = activePath(registry);
  if (!existsSync(path)) return {};
  const parsed = activeSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success)
    throw new Error(`${path} is not valid (${parsed.error.issues[0]?.message}): fix or delete it`);
  return parsed.data;
}

/** Records what serves now; written whole and renamed, so a crash leaves the old file or the new one. */
export function writeActive(
  registry: string,
  kind: SwitchableKind,
  id: string | null,
  history: (string | null)[],
  by: string,
): void {
  const all = readActive(registry);
  all[kind] = { id, history: history.slice(-HISTORY), at: new Date().toISOString(), by };
  mkdirSync(registry, { recursive: true });
  const path = activePath(registry);
  writeFileSync(`${path}.partial`, `${JSON.stringify(all, null, 2)}\n`);
  renameSync(`${path}.partial`, path);
}
