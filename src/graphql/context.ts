import type { ServiceStatus } from "../status/service-status.js";

/** Built per request; the services are singletons wired in main.ts. */
export interface GraphQLContext {
  services: {
    status(): Promise<ServiceStatus>;
  };
}
