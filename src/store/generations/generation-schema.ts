import type { Logger } from "../../platform/logger.js";
import { applySchema, loadClassDefinitions } from "../class-schema.js";
import type { WeaviateHandle } from "../weaviate-handle.js";
import {
  GENERATION_CLASSES,
  generationClassName,
  generationClassNames,
  servingAlias,
} from "./generation-names.js";

/** The same store seen through one generation's classes: every read and write of it lands there. */
export function pinnedHandle(handle: WeaviateHandle, generation: number): WeaviateHandle {
  // Object.create, not a spread: restUrl is a getter that follows an external pool's failover.
  return Object.create(handle, {
    classNames: { value: generationClassNames(generation), enumerable: true },
    generation: { value: generation, enumerable: true },
    // The rebuild writes through pinned handles while the gate is closed for its last catch-up.
    writeGate: { value: undefined, enumerable: true },
  }) as WeaviateHandle;
}

/** Creates (or checks) a generation's classes: weaviate/classes/ under its physical names. */
export async function createGenerationClasses(
  handle: WeaviateHandle,
  generation: number,
  log: Logger,
): Promise<void> {
  const defs = loadClassDefinitions().filter((d) =>
    (GENERATION_CLASSES as readonly string[]).includes(d.class),
  );
  await applySchema(pinnedHandle(handle, generation), log, defs);
}

/** Deletes a retired generation's classes (generation 1's are the plain names: they go too). */
export async function dropGenerationClasses(handle: WeaviateHandle, generation: number): Promise<void> {
  for (const logical of [...GENERATION_CLASSES].reverse())
    await handle.client.collections.delete(generationClassName(logical, generation));
}

/** Points every `<Class>_serving` alias at this generation's class (created on first use). */
export async function pointServingAliases(handle: WeaviateHandle, generation: number): Promise<void> {
  const existing = new Set(((await handle.client.alias.listAll()) ?? []).map((a) => a.alias));
  for (const logical of GENERATION_CLASSES) {
    const alias = servingAlias(logical);
    const collection = generationClassName(logical, generation);
    if (existing.has(alias)) await handle.client.alias.update({ alias, newTargetCollection: collection });
    else await handle.client.alias.create({ alias, collection });
  }
}

/** Where each serving alias points now (status and tests). */
export async function servingAliasTargets(handle: WeaviateHandle): Promise<Record<string, string>> {
  const all = (await handle.client.alias.listAll()) ?? [];
  return Object.fromEntries(all.map((a) => [a.alias, a.collection]));
}
