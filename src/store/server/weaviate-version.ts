/**
 * The one place the Weaviate server version is pinned. The embedded binary, the
 * release-archive fallback and docker-compose.yml (checked by a test) all follow it.
 */
export const WEAVIATE_VERSION = "1.39.0";
