import { postGraphQL, type ReadAnswer, type Sample } from "./load-driver.js";
import { operation, type Workload } from "./load-workload.js";

/** An answer of the phase it was sent in, and the encoder generation it names. */
export interface PhaseSample extends Sample {
  phase: string;
  generation?: number;
}

export interface PhaseTraffic {
  /** Labels the requests sent from now on. */
  enter(phase: string): void;
  /** The phase requests are labelled with now. */
  phase(): string;
  /** Stops sending and waits for every answer. */
  stop(): Promise<PhaseSample[]>;
}

/**
 * Open-loop traffic at `rate` req/s that runs until stopped, each request labelled with the phase
 * it went out in: 4 in 5 `recommendations` (rerank off: the encoder, recall and ranking are what
 * is measured) and 1 in 5 `similarVideos`, real ids cycling. An answer must be a page with items
 * that names its encoder generation.
 */
export function phaseTraffic(
  url: string,
  work: Workload,
  headers: Record<string, string>,
  rate: number,
): PhaseTraffic {
  const feed = operation("recommendations.graphql");
  const similar = operation("similar.graphql");
  const pages: Promise<PhaseSample>[] = [];
  let phase = "start";
  let stopped = false;
  const started = performance.now();
  const read =
    (field: string, typename: string): ReadAnswer =>
    (data) => {
      const answer = data[field] as
        { __typename?: string; items?: unknown[]; encoderGeneration?: number | null } | undefined;
      if (answer?.__typename !== typename) return { error: `${field}: ${answer?.__typename ?? "no answer"}` };
      if (!answer.items?.length) return { error: `${field}: empty page` };
      if (typeof answer.encoderGeneration !== "number") return { error: `${field}: no encoderGeneration` };
      return { tag: String(answer.encoderGeneration) };
    };
  const readFeed = read("recommendations", "RecommendationPage");
  const readSimilar = read("similarVideos", "SimilarVideosPage");
  const send = (i: number) =>
    i % 5 === 4
      ? postGraphQL(
          url,
          {
            query: similar,
            operationName: "SimilarVideos",
            variables: { videoId: work.videos[(i * 7919) % work.videos.length], first: 10 },
          },
          readSimilar,
          { headers },
        )
      : postGraphQL(
          url,
          {
            query: feed,
            operationName: "Recommendations",
            variables: { userId: work.users[i % work.users.length], first: 10, rerank: false },
          },
          readFeed,
          { headers },
        );
  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      const due = (i * 1000) / rate;
      const wait = started + due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (stopped) break;
      const label = phase;
      pages.push(
        send(i).then((s) => ({
          ...s,
          at: due,
          phase: label,
          ...(s.ok && s.tag ? { generation: Number(s.tag) } : {}),
        })),
      );
    }
  })();
  return {
    enter: (next) => void (phase = next),
    phase: () => phase,
    stop: async () => {
      stopped = true;
      await loop;
      return Promise.all(pages);
    },
  };
}
