import type { Logger } from "../../platform/logger.js";
import { interestQuery } from "../recall/recall-videos.js";
import { replaceCohorts, type Cohort } from "../../store/cohorts.js";
import { interestsByUsers } from "../../store/interest-lookup.js";
import { allProfiles } from "../../store/user-profiles.js";
import type { WeaviateHandle } from "../../store/weaviate-handle.js";
import { cohortKeys } from "../../domain/cohort-keys.js";
import { centroid } from "./fallback-chain.js";

/** How many of a bucket's most engaged members make its vector. */
export const TOP_ENGAGERS = 50;

export interface CohortRefresh {
  profiles: number;
  engaged: number;
  cohorts: number;
}

/**
 * Recomputes every cohort: onboarded users who have commented are grouped by each of their
 * bucket keys; a bucket's vector is the centroid of the interests of its TOP_ENGAGERS most
 * active members (by comment count). Buckets with fewer than `minMembers` engaged members are
 * not stored, so they never serve.
 */
export async function refreshCohorts(
  weaviate: WeaviateHandle,
  minMembers: number,
  log: Logger,
): Promise<CohortRefresh> {
  const profiles = [];
  for await (const p of allProfiles(weaviate)) profiles.push(p);
  const interests = await interestsByUsers(
    weaviate,
    profiles.map((p) => p.userId),
  );
  const members = new Map<
    string,
    { level: Cohort["level"]; engagers: { count: number; vector: number[] }[] }
  >();
  let engaged = 0;
  for (const profile of profiles) {
    const i = interests.get(profile.userId);
    const vector = i && interestQuery(i.videoVector, i.commentVector);
    if (!i || !vector || i.commentCount === 0) continue;
    engaged += 1;
    for (const { key, level } of cohortKeys(profile)) {
      const group = members.get(key) ?? { level, engagers: [] };
      group.engagers.push({ count: i.commentCount, vector });
      members.set(key, group);
    }
  }
  const refreshedAt = new Date();
  const cohorts: Cohort[] = [];
  for (const [key, { level, engagers }] of members) {
    if (engagers.length < minMembers) continue;
    const top = engagers.sort((a, b) => b.count - a.count).slice(0, TOP_ENGAGERS);
    cohorts.push({
      key,
      level,
      memberCount: top.length,
      refreshedAt,
      vector: centroid(top.map((e) => e.vector)),
    });
  }
  await replaceCohorts(weaviate, cohorts);
  const result = { profiles: profiles.length, engaged, cohorts: cohorts.length };
  log.info("cohorts refreshed", { ...result });
  return result;
}
