import { videoDocument } from "../domain/documents.js";
import { collection } from "./collections/typed-collections.js";
import { videosByIds } from "./entity-reads.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

/** A user's newest comment texts, newest first: the cross-encoder's query for them. */
export async function recentCommentTexts(
  handle: WeaviateHandle,
  userId: string,
  limit = 5,
): Promise<string[]> {
  const comments = collection(handle, "Comment");
  const res = await comments.query.fetchObjects({
    filters: comments.filter.byProperty("authorId").equal(userId),
    sort: comments.sort.byProperty("createdAt", false),
    limit,
    returnProperties: ["text"],
  });
  return res.objects.map((o) => String(o.properties.text ?? "")).filter(Boolean);
}

/** The documents videos were embedded from, by video id: each candidate's side of a pair. */
export async function videoDocuments(
  handle: WeaviateHandle,
  videoIds: string[],
): Promise<Map<string, string>> {
  const found = await videosByIds(handle, videoIds);
  return new Map([...found].map(([id, v]) => [id, videoDocument(v)]));
}
