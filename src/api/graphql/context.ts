import type { Caller } from "../auth/api-keys.js";
import type { Services } from "../services.js";
import type { Loaders } from "./loaders.js";

/** Built per request: who is calling, the services, and this request's DataLoaders. */
export interface GraphQLContext {
  caller: Caller;
  services: Services;
  loaders: Loaders;
}
