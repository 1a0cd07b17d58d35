import weaviate from "weaviate-client";
import { contentHash, videoDocument } from "../../domain/documents.js";
import { loadClassDefinitions, referenceProperties } from "../class-schema.js";
import { everyObject } from "../collections/every-object.js";
import { collection, ourClass } from "../collections/typed-collections.js";
import { targetClass, writeObjects, type StoreObject } from "../object-writes.js";
import type { WeaviateHandle } from "../weaviate-handle.js";
import type { GenerationClass } from "./generation-names.js";

/** Embeds texts with the new generation's encoder, in order. */
export type EmbedTexts = (texts: string[]) => Promise<number[][]>;

/** The part of a collection a copy uses, untyped by class: it copies any of them alike. */
interface AnyCollection {
  query: { fetchObjects(opts: Record<string, unknown>): Promise<{ objects: Fetched[] }> };
  data: { deleteMany(filter: unknown): Promise<unknown> };
}
export const untypedCollection = (handle: WeaviateHandle, className: string) =>
  collection(handle, ourClass(className)) as unknown as AnyCollection;

const str = (v: unknown) => (typeof v === "string" ? v : "");

/**
 * The stored text each embedded class was embedded from (as src/ingest builds it), so a
 * generation is re-embedded from the store alone. Classes absent here get their vector from
 * Weaviate's ref2vec-centroid (Creator, UserInterest, UserVideoInterest) or from the app
 * (Cohort: refreshed from the new generation's users once they are copied).
 */
const TEXT_OF: Partial<Record<GenerationClass, (p: Record<string, unknown>) => string>> = {
  Video: (p) =>
    videoDocument({
      title: str(p.title),
      musicTitle: str(p.musicTitle),
      hashtags: Array.isArray(p.hashtags) ? (p.hashtags as string[]) : [],
    }),
  Comment: (p) => str(p.text),
  CreatorBio: (p) => str(p.text),
  UserProfile: (p) => (Array.isArray(p.interests) ? (p.interests as string[]) : []).join(", "),
};
const CENTROID_CLASSES = new Set<string>(["Creator", "UserInterest", "UserVideoInterest"]);

const REF_PROPS = new Map(
  loadClassDefinitions().map((d) => [d.class, referenceProperties(d).map((p) => p.name)] as const),
);

export interface CopyContext {
  from: WeaviateHandle;
  to: WeaviateHandle;
  embed: EmbedTexts;
  /** The new encoder's model id: the new content hashes name it, so ingestion reuses the vectors. */
  modelId: string;
}

type Fetched = {
  uuid: string;
  properties: Record<string, unknown>;
  references?: Record<
    string,
    { objects: { uuid: string; vectors?: Record<string, unknown> }[] } | undefined
  > | null;
  vectors?: Record<string, unknown>;
};

/** Source objects rewritten for the new generation: re-embedded, references kept, centroids left to Weaviate. */
async function rewrite(
  ctx: CopyContext,
  className: GenerationClass,
  objects: Fetched[],
): Promise<StoreObject[]> {
  const textOf = TEXT_OF[className];
  const texts = textOf ? objects.map((o) => textOf(o.properties)) : [];
  const vectors = textOf && texts.length > 0 ? await ctx.embed(texts) : [];
  return objects.map((o, i) => {
    const properties = Object.fromEntries(
      Object.entries(o.properties).filter(([, v]) => v !== null && v !== undefined),
    ) as StoreObject["properties"];
    // syncHash stays the source's: the catch-up compares it to find what changed since the copy.
    if (textOf && "contentHash" in properties) properties.contentHash = contentHash(texts[i]!, ctx.modelId);
    const references = Object.fromEntries(
      (REF_PROPS.get(className) ?? []).map((p) => [p, (o.references?.[p]?.objects ?? []).map((r) => r.uuid)]),
    );
    const vector = textOf
      ? vectors[i]
      : CENTROID_CLASSES.has(className)
        ? undefined
        : ((o.vectors?.default as number[] | undefined) ?? undefined);
    return { id: o.uuid, properties, references, vector };
  });
}

const fetchOpts = (className: GenerationClass) => ({
  includeVector: !TEXT_OF[className] && !CENTROID_CLASSES.has(className),
  returnReferences: (REF_PROPS.get(className) ?? []).map((linkOn) => ({ linkOn, returnProperties: [] })),
});

/** Copies one page of `className` after `cursor` (id order); returns how many and the new cursor. */
export async function copyPage(
  ctx: CopyContext,
  className: GenerationClass,
  cursor: string | undefined,
  limit: number,
): Promise<{ copied: number; cursor?: string }> {
  const source = untypedCollection(ctx.from, className);
  const res = await source.query.fetchObjects({ after: cursor, limit, ...fetchOpts(className) });
  const objects = res.objects;
  if (objects.length === 0) return { copied: 0, cursor };
  await write(ctx, className, await rewrite(ctx, className, objects));
  return { copied: objects.length, cursor: objects.at(-1)!.uuid };
}

/** Which of these ids the class holds in this handle's generation. */
async function existing(handle: WeaviateHandle, className: string, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const res = await untypedCollection(handle, className).query.fetchObjects({
      filters: weaviate.filter.byId().containsAny(chunk),
      limit: chunk.length,
      returnProperties: [],
    });
    for (const o of res.objects) found.add(o.uuid);
  }
  return found;
}

/**
 * Ingestion goes on during a rebuild: a parent read now may reference a comment or video written
 * after its class was copied, which Weaviate refuses as a reference into the new generation. Such
 * targets are copied first (theirs in turn); a reference the serving generation cannot resolve
 * either (its target deleted) is dropped, as it adds nothing to a centroid.
 */
async function ensureTargets(
  ctx: CopyContext,
  className: GenerationClass,
  objects: StoreObject[],
): Promise<void> {
  for (const prop of REF_PROPS.get(className) ?? []) {
    const target = targetClass(className, prop) as GenerationClass;
    const wanted = [...new Set(objects.flatMap((o) => o.references?.[prop] ?? []))];
    if (wanted.length === 0) continue;
    const have = await existing(ctx.to, target, wanted);
    const missing = wanted.filter((id) => !have.has(id));
    if (missing.length > 0) {
      const res = await untypedCollection(ctx.from, target).query.fetchObjects({
        filters: weaviate.filter.byId().containsAny(missing),
        limit: missing.length,
        ...fetchOpts(target),
      });
      if (res.objects.length > 0) await write(ctx, target, await rewrite(ctx, target, res.objects));
      for (const o of res.objects) have.add(o.uuid);
    }
    for (const o of objects)
      if (o.references?.[prop]) o.references[prop] = o.references[prop].filter((id) => have.has(id));
  }
}

async function write(ctx: CopyContext, className: GenerationClass, objects: StoreObject[]): Promise<void> {
  await ensureTargets(ctx, className, objects);
  const result = await writeObjects(ctx.to, className, objects, {
    centroids: CENTROID_CLASSES.has(className),
  });
  if (result.failed.length > 0)
    throw new Error(
      `copying ${className} into the new generation: ${result.failed.length} objects refused, first ${result.failed[0]!.id}: ${result.failed[0]!.error}`,
    );
}

/** What an object says, less what a copy changes (its content hash and centroid refresh time). */
async function fingerprints(
  handle: WeaviateHandle,
  className: GenerationClass,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const coll = untypedCollection(handle, className);
  for await (const o of everyObject((p) => coll.query.fetchObjects({ ...p }))) {
    const { contentHash: _c, refreshedAt: _r, ...rest } = o.properties;
    out.set(o.uuid, JSON.stringify(Object.entries(rest).sort(([x], [y]) => x.localeCompare(y))));
  }
  return out;
}

/**
 * Brings the new generation level with the serving one for what was written there since its
 * copy (ingestion during a rebuild, writes since a switch for a rollback): changed and new
 * objects are copied again, removed ones deleted. Returns how many objects it touched.
 */
export async function catchUp(ctx: CopyContext, className: GenerationClass): Promise<number> {
  const [want, have] = await Promise.all([
    fingerprints(ctx.from, className),
    fingerprints(ctx.to, className),
  ]);
  const stale = [...want].filter(([id, f]) => have.get(id) !== f).map(([id]) => id);
  const gone = [...have.keys()].filter((id) => !want.has(id));
  const source = untypedCollection(ctx.from, className);
  for (let i = 0; i < stale.length; i += 200) {
    const chunk = stale.slice(i, i + 200);
    const res = await source.query.fetchObjects({
      filters: weaviate.filter.byId().containsAny(chunk),
      limit: chunk.length,
      ...fetchOpts(className),
    });
    await write(ctx, className, await rewrite(ctx, className, res.objects));
  }
  if (gone.length > 0)
    await untypedCollection(ctx.to, className).data.deleteMany(weaviate.filter.byId().containsAny(gone));
  return stale.length + gone.length;
}

export async function countObjects(handle: WeaviateHandle, className: GenerationClass): Promise<number> {
  return (await collection(handle, ourClass(className)).aggregate.overAll()).totalCount;
}
