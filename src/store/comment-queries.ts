import { collection } from "./collections/typed-collections.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

export interface AuthoredComment {
  id: string;
  authorId: string;
  authorUsername: string;
  videoId: string;
  createdAt: Date;
}

const PAGE = 10_000; // Weaviate's default QUERY_MAXIMUM_RESULTS

/** Every stored comment by these authors (few per author on real data), fetched in groups. */
export async function commentsByAuthors(
  handle: WeaviateHandle,
  authorIds: string[],
): Promise<AuthoredComment[]> {
  const comments = collection(handle, "Comment");
  const out: AuthoredComment[] = [];
  const fetchGroup = async (ids: string[]) => {
    const res = await comments.query.fetchObjects({
      filters: comments.filter.byProperty("authorId").containsAny(ids),
      limit: PAGE,
      returnProperties: ["authorId", "authorUsername", "videoId", "createdAt"],
    });
    return res.objects.map((o) => {
      const p = o.properties;
      return {
        id: o.uuid,
        authorId: p.authorId,
        authorUsername: p.authorUsername,
        videoId: p.videoId,
        createdAt: new Date(p.createdAt),
      };
    });
  };
  for (let i = 0; i < authorIds.length; i += 100) {
    const group = authorIds.slice(i, i + 100);
    const found = await fetchGroup(group);
    // A group that fills the page may be cut off: ask author by author instead.
    if (found.length < PAGE) out.push(...found);
    else for (const id of group) out.push(...(await fetchGroup([id])));
  }
  return out;
}
