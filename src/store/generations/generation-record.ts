import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Where a class's copy into a building generation stands: resumed from `cursor` after a kill. */
export interface ClassProgress {
  /** The last object id written, in id order (Weaviate's `after` cursor). */
  cursor?: string;
  copied: number;
  done: boolean;
}

export type GenerationState = "building" | "serving" | "retired" | "dropped" | "failed";

export interface Generation {
  id: number;
  /** The encoder family its vectors come from (encoderFamily of the model id). */
  encoder: string;
  state: GenerationState;
  createdAt: string;
  switchedAt?: string;
  retiredAt?: string;
  /** When a retired generation's classes are deleted (ENCODER_GENERATION_GRACE_HOURS after it retired). */
  dropAfter?: string;
  progress: Partial<Record<string, ClassProgress>>;
  /** Objects per class in the serving and the new generation when verified. */
  verified?: { counts: Record<string, [number, number]>; centroidsChecked: number; at: string };
  buildSeconds?: number;
  error?: string;
}

export interface GenerationRecord {
  serving: number;
  generations: Generation[];
}

/**
 * The generations of the embedded store, kept beside its data: written (atomically) after every
 * page a rebuild copies, so a killed rebuild resumes from its cursors.
 */
export const GENERATIONS_FILE = ".tiktok-recs-generations.json";

export function readGenerationRecord(dataDir: string): GenerationRecord | undefined {
  const path = join(dataDir, GENERATIONS_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as GenerationRecord) : undefined;
}

export function writeGenerationRecord(dataDir: string, record: GenerationRecord): void {
  const path = join(dataDir, GENERATIONS_FILE);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** What the admin query shows. */
export interface GenerationsStatus {
  /** False for an external Weaviate: its generation record would need a data folder of ours. */
  supported: boolean;
  serving: number;
  generations: Generation[];
}

export type GenerationChange =
  | { kind: "started"; generation: number; encoder: string }
  | { kind: "switched"; generation: number; encoder: string; previous: number }
  | { kind: "refused"; reason: string };
