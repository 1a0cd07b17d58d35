import { createHash, timingSafeEqual } from "node:crypto";
import { GraphQLError } from "graphql";

export type Role = "partner" | "admin";

export interface ApiKeyEntry {
  name: string;
  role: Role;
  /** sha256 of the key, hex: keys are never stored in clear. */
  sha256: string;
}

export interface Caller {
  name: string;
  role: Role;
}

export const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

/**
 * Finds the caller for a presented key. Every entry is compared, in constant time over the
 * digests, so timing says nothing about which key or how much of it matched.
 */
export function authenticate(entries: readonly ApiKeyEntry[], presented: string | undefined): Caller {
  if (!presented) throw unauthenticated("missing API key: send it as the x-api-key header (or Authorization: Bearer <key>)");
  const digest = Buffer.from(hashKey(presented), "hex");
  let found: ApiKeyEntry | undefined;
  for (const entry of entries) {
    if (timingSafeEqual(digest, Buffer.from(entry.sha256, "hex")) && !found) found = entry;
  }
  if (!found) throw unauthenticated("invalid API key");
  return { name: found.name, role: found.role };
}

/** The key from x-api-key, or from an Authorization bearer token. */
export function presentedKey(headers: { get(name: string): string | undefined }): string | undefined {
  const direct = headers.get("x-api-key")?.trim();
  if (direct) return direct;
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "");
  return bearer?.[1]?.trim() || undefined;
}

function unauthenticated(message: string) {
  return new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
}

/** Parses API_KEYS: `name:role:sha256hex` entries, comma-separated. */
export function parseApiKeys(value: string): { entries: ApiKeyEntry[]; problems: string[] } {
  const entries: ApiKeyEntry[] = [];
  const problems: string[] = [];
  for (const raw of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [name, role, sha256] = raw.split(":");
    if (!name || (role !== "partner" && role !== "admin") || !/^[0-9a-f]{64}$/.test(sha256 ?? "")) {
      problems.push(`API_KEYS: "${raw.slice(0, 40)}" is not name:partner|admin:<64 hex sha256>`);
    } else entries.push({ name, role, sha256: sha256! });
  }
  return { entries, problems };
}
