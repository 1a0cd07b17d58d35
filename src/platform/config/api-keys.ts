/** API keys as configured (API_KEYS): parsed at boot, hashed, never held in clear. */
import { createHash } from "node:crypto";

export type Role = "partner" | "admin";

export interface ApiKeyEntry {
  name: string;
  role: Role;
  /** sha256 of the key, hex: keys are never stored in clear. */
  sha256: string;
}

export const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

/** Parses API_KEYS: `name:role:sha256hex` entries, comma-separated. */
export function parseApiKeys(value: string): { entries: ApiKeyEntry[]; problems: string[] } {
  const entries: ApiKeyEntry[] = [];
  const problems: string[] = [];
  for (const raw of value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, role, sha256] = raw.split(":");
    if (!name || (role !== "partner" && role !== "admin") || !/^[0-9a-f]{64}$/.test(sha256 ?? "")) {
      problems.push(`API_KEYS: "${raw.slice(0, 40)}" is not name:partner|admin:<64 hex sha256>`);
    } else entries.push({ name, role, sha256: sha256! });
  }
  return { entries, problems };
}
