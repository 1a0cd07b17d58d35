import { collection } from "./collections/typed-collections.js";
import { objectId } from "./object-ids.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

export type CurationKind = "blockCreator" | "blockVideo" | "blockHashtag" | "sponsored";

export interface CurationEntry {
  kind: CurationKind;
  value: string;
  position: number;
  createdBy: string;
  createdAt: Date;
}

const idOf = (kind: CurationKind, value: string) => objectId("Curation", `${kind}:${value}`);

/** Every curation entry (a few hundred at most), oldest first. */
export async function listCuration(handle: WeaviateHandle): Promise<CurationEntry[]> {
  const res = await collection(handle, "Curation").query.fetchObjects({ limit: 10_000 });
  return res.objects
    .map((o) => {
      const p = o.properties;
      return {
        kind: p.kind as CurationKind,
        value: String(p.value),
        position: Number(p.position ?? 0),
        createdBy: String(p.createdBy ?? ""),
        createdAt: new Date(p.createdAt),
      };
    })
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** Adds or replaces one entry (same kind and value = same object). */
export async function putCuration(handle: WeaviateHandle, entry: CurationEntry): Promise<void> {
  const curation = collection(handle, "Curation");
  const id = idOf(entry.kind, entry.value);
  const properties = { ...entry };
  if (await curation.data.exists(id)) await curation.data.replace({ id, properties });
  else await curation.data.insert({ id, properties });
}

/** Removes one entry; false when there was none. */
export function deleteCuration(handle: WeaviateHandle, kind: CurationKind, value: string): Promise<boolean> {
  return collection(handle, "Curation").data.deleteById(idOf(kind, value));
}
