import { renderAltair, getDistDirectory } from "altair-static";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
};

export const EXPLORER_PATH = "/explorer/";

/**
 * The admins' GraphQL explorer: Altair, served from our own process (altair-static's assets), so
 * it works offline. It opens on the endpoint with an x-api-key header ready to fill in.
 */
export function explorerPage(initialQuery: string): string {
  return renderAltair({
    baseURL: EXPLORER_PATH,
    endpointURL: "/graphql",
    initialQuery,
    initialHeaders: { "x-api-key": "" },
    disableAccount: true,
  });
}

/** One asset of the explorer, or undefined when the path is not one (no escaping the folder). */
export async function explorerAsset(path: string): Promise<{ body: Buffer; type: string } | undefined> {
  const relative = normalize(decodeURIComponent(path.slice(EXPLORER_PATH.length)));
  if (relative.startsWith("..") || relative.includes("\0")) return undefined;
  try {
    return {
      body: await readFile(join(getDistDirectory(), relative)),
      type: TYPES[extname(relative)] ?? "application/octet-stream",
    };
  } catch {
    return undefined;
  }
}
