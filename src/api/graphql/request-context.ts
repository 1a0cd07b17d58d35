import type { AuthChecker } from "type-graphql";
import { authenticate, presentedKey, type ApiKeyEntry, type Caller } from "../auth/api-keys.js";
import type { Services } from "../services.js";
import type { GraphQLContext } from "./context.js";
import { createLoaders } from "./loaders.js";

/** Without configured keys (development only) callers are anonymous partners: read, never admin. */
const ANONYMOUS: Caller = { name: "anonymous", role: "partner" };

/** The per-request context: the caller from its API key, and fresh DataLoaders. */
export function contextFactory(services: Services, keys: readonly ApiKeyEntry[]) {
  return async (headers: { get(name: string): string | undefined }): Promise<GraphQLContext> => ({
    caller: keys.length === 0 ? ANONYMOUS : authenticate(keys, presentedKey(headers)),
    services,
    loaders: createLoaders(services),
  });
}

/** `@Authorized()` needs any caller; `@Authorized("admin")` needs an admin key. */
export const authChecker: AuthChecker<GraphQLContext> = ({ context }, roles) =>
  roles.length === 0 || roles.includes(context.caller.role);
