/** An admin's curation entry, as the rules read it. */
export interface CurationRule {
  kind: string;
  value: string;
  position?: number;
}

/** The exclusions recall pushes into Weaviate. */
export interface Exclusions {
  excludeVideoIds?: string[];
  excludeCreatorIds?: string[];
  excludeHashtags?: string[];
}

/**
 * Adds the admins' blocklists to the request's own exclusions, so recall never returns a blocked
 * video, creator or hashtag (the filter runs inside Weaviate, not on the page afterwards).
 */
export function withBlocklists<F extends Exclusions>(filters: F, curation: readonly CurationRule[]): F {
  const values = (kind: string) => curation.filter((c) => c.kind === kind).map((c) => c.value);
  return {
    ...filters,
    excludeVideoIds: [...(filters.excludeVideoIds ?? []), ...values("blockVideo")],
    excludeCreatorIds: [...(filters.excludeCreatorIds ?? []), ...values("blockCreator")],
    excludeHashtags: [...(filters.excludeHashtags ?? []), ...values("blockHashtag")],
  };
}
