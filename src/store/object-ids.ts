import { generateUuid5 } from "weaviate-client";

/**
 * Deterministic Weaviate ids derived from TikTok ids: writing the same TikTok object twice
 * addresses the same Weaviate object, which is what makes every upsert idempotent.
 */
export const objectId = (className: string, tiktokId: string): string =>
  generateUuid5(`${className}:${tiktokId}`);
