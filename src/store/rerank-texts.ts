import { videoDocument } from "../domain/documents.js";
import { videosByIds } from "./entity-reads.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

/** A user's newest comment texts, newest first: the cross-encoder's query for them. */
export async function recentCommentTexts(handle: WeaviateHandle, userId: string, limit = 5): Promise<string[]> {
  const comments = handle.client.collections.get("Comment");
  const res = await comments.query.fetchObjects({
    filters: comments.filter.byProperty("authorId" as never).equal(userId as never),
    sort: comments.sort.byProperty("createdAt" as never, false),
    limit,
    returnProperties: ["text"] as never,
  });
  return res.objects.map((o) => String((o.properties as Record<string, unknown>).text ?? "")).filter(Boolean);
}

/** The documents videos were embedded from, by video id: each candidate's side of a pair. */
export async function videoDocuments(handle: WeaviateHandle, videoIds: string[]): Promise<Map<string, string>> {
  const found = await videosByIds(handle, videoIds);
  return new Map([...found].map(([id, v]) => [id, videoDocument(v)]));
}
