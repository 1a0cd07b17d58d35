import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../src/platform/paths.js";
import { readCatalogue } from "../../src/offline/eval/catalogue.js";
import { postGraphQL, type ReadAnswer, type Send } from "./load-driver.js";
import type { ServedRef } from "./event-batches.js";
import { seededRandom } from "../../src/platform/seeded-random.js";

/** Who and what bench:load asks about, all real ids from the dump. */
export interface Workload {
  users: string[];
  videos: string[];
  creators: string[];
  commenters: number;
}

/**
 * `users` commenters drawn at random (seeded) from everyone who commented in the dump, so the mix
 * of heavy and one-comment users (served partly from their cohort) is the dump's own; plus every
 * video and creator for the similar* queries.
 */
export function readWorkload(dataset: string, users: number, seed = 7): Workload {
  const commenters = new Set<string>();
  const folder = join(dataset, "comments");
  for (const file of readdirSync(folder).filter((f) => f.endsWith(".json"))) {
    const body = JSON.parse(readFileSync(join(folder, file), "utf8")) as {
      comments?: { user?: { id?: unknown } }[];
    };
    for (const c of body.comments ?? [])
      if (typeof c.user?.id === "string" && c.user.id) commenters.add(c.user.id);
  }
  const catalogue = readCatalogue(dataset);
  const all = [...commenters].sort();
  const random = seededRandom(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return {
    users: all.slice(0, users),
    videos: catalogue.map((v) => v.videoId),
    creators: [...new Set(catalogue.map((v) => v.creatorId))].sort(),
    commenters: commenters.size,
  };
}

/** An operation file of schema/operations/, as the apps send it. */
export const operation = (file: string) =>
  readFileSync(join(REPO_ROOT, "schema", "operations", file), "utf8");

/** A page with items is the only right answer: the ids are real, so an Unknown* is an error too. */
const page =
  (field: string, typename: string): ReadAnswer =>
  (data) => {
    const answer = data[field] as
      { __typename?: string; items?: unknown[]; reranked?: number; source?: string } | undefined;
    if (answer?.__typename !== typename) return { error: `${field}: ${answer?.__typename ?? "no answer"}` };
    if (!answer.items?.length) return { error: `${field}: empty page` };
    return { reranked: answer.reranked ?? 0, tag: answer.source ? `${field} (${answer.source})` : field };
  };

/**
 * Request i of the mix: 8 in 10 are `recommendations` (rerank on, the app's feed), 1 `similarVideos`
 * (reranked too) and 1 `similarCreators`, each cycling through its ids. Several URLs (API replicas)
 * take the requests round-robin.
 */
export function workloadSender(
  urls: string | readonly string[],
  work: Workload,
  headers: Record<string, string>,
  /** Told of every feed page that came back with a servedId (the apps report events about it). */
  onPage?: (page: ServedRef) => void,
): Send {
  const feed = operation("recommendations.graphql");
  const similar = operation("similar.graphql");
  const readPage = page("recommendations", "RecommendationPage");
  const readFeed: ReadAnswer = (data) => {
    const answer = readPage(data);
    const served = data.recommendations as { servedId?: string; items?: unknown[] } | undefined;
    if (!answer.error && onPage && served?.servedId)
      onPage({ servedId: served.servedId, items: served.items!.length });
    return answer;
  };
  const readVideos = page("similarVideos", "SimilarVideosPage");
  const readCreators = page("similarCreators", "SimilarCreatorsPage");
  const targets = typeof urls === "string" ? [urls] : urls;
  return (i) => {
    const url = targets[i % targets.length]!;
    const round = Math.floor(i / 10);
    const slot = i % 10;
    if (slot === 8)
      return postGraphQL(
        url,
        {
          query: similar,
          operationName: "SimilarVideos",
          variables: { videoId: work.videos[(round * 7919) % work.videos.length], first: 10 },
        },
        readVideos,
        { headers },
      );
    if (slot === 9)
      return postGraphQL(
        url,
        {
          query: similar,
          operationName: "SimilarCreators",
          variables: { creatorId: work.creators[round % work.creators.length], first: 10 },
        },
        readCreators,
        { headers },
      );
    return postGraphQL(
      url,
      {
        query: feed,
        operationName: "Recommendations",
        variables: { userId: work.users[(round * 8 + slot) % work.users.length], first: 10, rerank: true },
      },
      readFeed,
      { headers },
    );
  };
}
