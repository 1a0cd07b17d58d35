import type { WeaviateHandle } from "../weaviate-handle.js";

/**
 * A raw REST call to Weaviate (what weaviate-client does not cover: batch writes at a
 * consistency level, schema property adds, readiness), on the node the handle uses now; with a
 * node pool, a repeatable call that finds its node dead moves to a live one like the client's.
 */
export function restFetch(
  handle: WeaviateHandle,
  path: string,
  init: RequestInit & { repeatable: boolean },
): Promise<Response> {
  const { repeatable, ...request } = init;
  const headers = { ...handle.headers, ...(request.headers as Record<string, string> | undefined) };
  if (!handle.pool) return fetch(`${handle.restUrl}${path}`, { ...request, headers });
  return handle.pool.run(repeatable, (_client, url) => fetch(`${url}${path}`, { ...request, headers }));
}
