import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, found from this file whether it runs from src/ (tsc output in dist/src/). */
export const REPO_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");

/** Where provisioned artefacts outside the repo live, shared across clones, keyed by version. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(env.HOME ?? homedir(), ".cache"), "tiktok-recs");
}
