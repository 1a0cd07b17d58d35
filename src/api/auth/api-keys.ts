import { timingSafeEqual } from "node:crypto";
import { GraphQLErrorCode, graphQLError } from "../error-codes.js";
import { hashKey, type ApiKeyEntry, type Role } from "../../platform/config/api-keys.js";

export type { ApiKeyEntry, Role };

export interface Caller {
  name: string;
  role: Role;
}

/**
 * Finds the caller for a presented key. Every entry is compared, in constant time over the
 * digests, so timing says nothing about which key or how much of it matched.
 */
export function authenticate(entries: readonly ApiKeyEntry[], presented: string | undefined): Caller {
  if (!presented)
    throw unauthenticated(
      "missing API key: send it as the x-api-key header (or Authorization: Bearer <key>)",
    );
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
  return graphQLError(GraphQLErrorCode.Unauthenticated, message, { extensions: { http: { status: 401 } } });
}
