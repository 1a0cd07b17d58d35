/**
 * What the apps report about the pages we served: which items were shown (impressions), which
 * were tapped (clicks) and how long a video played (dwell). Every event names the page by the
 * servedId the page carried and an item by its 1-based position on that page.
 */

export type AppEventKind = "impression" | "click" | "dwell";

interface EventBase {
  /** The client's own id for the event: a retried batch is counted once. */
  clientEventId: string;
  servedId: string;
  /** When the app saw it happen; informational (reports count by the time the page was served). */
  occurredAt?: Date;
}

export type AppEvent =
  | (EventBase & { kind: "impression"; positions: number[] })
  | (EventBase & { kind: "click"; position: number })
  | (EventBase & { kind: "dwell"; position: number; dwellMs: number });

/** What became of one event of a batch. */
export type EventOutcome =
  /** Stored; a click also says whose and which video, for the feedback into ranking. */
  | { clientEventId: string; status: "accepted"; click?: { userId: string; videoId: string } }
  /** Stored before (a retry): counted once. */
  | { clientEventId: string; status: "duplicate" }
  | { clientEventId: string; status: "refused"; reason: string };

/** One item of a page as served. */
export interface ServedItem {
  videoId: string;
  /** 1-based position on the page. */
  position: number;
  sponsored: boolean;
}

/** A page we served, remembered so that events about it can be checked and attributed. */
export interface ServedPage {
  servedId: string;
  userId: string;
  servedAt: Date;
  experimentId?: string;
  arm?: string;
  items: ServedItem[];
}

/** What a user's events say about videos, for ranking: clicked ones and ones shown but ignored. */
export interface UserFeedback {
  /** Videos the user clicked. */
  clicked: string[];
  /** Videos shown to the user (item impressions) that they never clicked, with how often shown. */
  ignored: Map<string, number>;
}
