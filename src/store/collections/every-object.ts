/** Objects per request: the cursor's page. */
const PAGE = 1000;

/** One cursor page: what `everyObject` passes to its fetch, to spread into `fetchObjects`. */
export interface CursorPage {
  after?: string;
  limit: number;
}

/**
 * Every object a fetch returns, in id order, by cursor in pages of 1,000:
 * `everyObject((page) => coll.query.fetchObjects({ ...page, includeVector: true }))`.
 * Use this, not the client's `iterator()`: weaviate-client 3.12 to 3.14 fetches a fresh page of
 * 100 for every object that iterator yields. On the dev store it read about 50 videos a second with
 * their vectors, where this reads 3,000 (132,532 comments in 19.5 s).
 */
export async function* everyObject<O extends { uuid: string }>(
  fetch: (page: CursorPage) => Promise<{ objects: O[] }>,
): AsyncGenerator<O> {
  for (let after: string | undefined; ;) {
    const { objects } = await fetch({ after, limit: PAGE });
    yield* objects;
    if (objects.length < PAGE) return;
    after = objects.at(-1)!.uuid;
  }
}
