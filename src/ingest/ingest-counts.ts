import type { MalformedCounts } from "./sources/tiktok-reader.js";

/** What a run did, for the summary, the run record and the tests. */
export interface IngestCounts {
  creators: number;
  videos: number;
  comments: number;
  users: number;
  /** Texts sent through the encoder (unchanged texts are not). */
  embedded: number;
  /** Objects written per class (unchanged objects are not). */
  written: Record<string, number>;
  /** Objects found unchanged and left alone. */
  unchanged: number;
  failedWrites: number;
  malformed: MalformedCounts;
  errors: string[];
  /** Where the time went, in seconds; writes overlap fetching and encoding, so these do not add up to the wall time. */
  timings: { fetch: number; lookup: number; embed: number; write: number; interests: number };
}

export function emptyCounts(): IngestCounts {
  return {
    creators: 0,
    videos: 0,
    comments: 0,
    users: 0,
    embedded: 0,
    written: {},
    unchanged: 0,
    failedWrites: 0,
    malformed: { userinfo: 0, posts: 0, comments: 0 },
    errors: [],
    timings: { fetch: 0, lookup: 0, embed: 0, write: 0, interests: 0 },
  };
}
