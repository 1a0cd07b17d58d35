/** A position in a ranked list, opaque to callers: `after` takes the `endCursor` of the previous page. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`, "utf8").toString("base64url");
}

/** The offset a cursor stands for; undefined when it is not one of ours. */
export function decodeCursor(cursor: string): number | undefined {
  const m = /^offset:(\d{1,6})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return m ? Number(m[1]) : undefined;
}

export interface Page<T> {
  items: T[];
  endCursor?: string;
  hasNextPage: boolean;
}

/** The `first` items after the cursor's place. */
export function pageOf<T>(list: T[], first: number, afterOffset = 0): Page<T> {
  const items = list.slice(afterOffset, afterOffset + first);
  const end = afterOffset + items.length;
  return {
    items,
    endCursor: items.length > 0 ? encodeCursor(end) : undefined,
    hasNextPage: end < list.length,
  };
}
