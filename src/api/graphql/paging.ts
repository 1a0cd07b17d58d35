/** A position in a ranked list, opaque to callers: `after` takes the `endCursor` of the previous page. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`, "utf8").toString("base64url");
}

/** The offset a cursor stands for; undefined when it is not one of ours. */
export function decodeCursor(cursor: string): number | undefined {
  const m = /^offset:(\d{1,6})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return m ? Number(m[1]) : undefined;
}

export interface PageInfo {
  endCursor?: string;
  hasNextPage: boolean;
}

/** The cursor of a page of `count` items that starts after `offset` items (the service cuts the page). */
export function pageInfoOf(offset: number, count: number, hasNextPage: boolean): PageInfo {
  return { endCursor: count > 0 ? encodeCursor(offset + count) : undefined, hasNextPage };
}
