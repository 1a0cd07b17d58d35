import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../src/platform/paths.js";

/** The team's shared folder beside the checkout (datasets, fixtures); SHARED_DIR overrides. */
export const SHARED_DIR = process.env.SHARED_DIR ?? join(REPO_ROOT, "..", "shared");

export function sharedPath(...parts: string[]): string | undefined {
  const path = join(SHARED_DIR, ...parts);
  return existsSync(path) ? path : undefined;
}
