import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../src/platform/paths.js";

/** The canonical operations in schema/operations/, which the README shows too. */
export function operation(file: string): string {
  return readFileSync(join(REPO_ROOT, "schema", "operations", file), "utf8");
}
