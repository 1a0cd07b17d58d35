import { createHash } from "node:crypto";
import type { RecommendedItem } from "../../domain/recommended-item.js";
import { applySponsoredSlots, sponsoredSlots } from "../../recommend/rules/sponsored-slots.js";
import type { CatalogueVideo } from "./catalogue.js";
import { meanDefined, ndcgAtK, recallAtK } from "./metrics.js";
import type { HeldOut } from "./time-split.js";

/** The sponsored slot the evaluation prices (1-based, as admins think of it), and the pool it draws from. */
export const SPONSOR_SLOT = 3;
const SPONSOR_POOL = 50;

interface Priced {
  r10?: number;
  n10?: number;
  lossR10?: number;
  lossN10?: number;
}

/**
 * What a sponsored video in slot SPONSOR_SLOT costs each user's served top 10: collect a user at a
 * time with `price`, then `summary()` for the report.
 */
export function sponsoredSlotPricing(catalogue: CatalogueVideo[]) {
  const popular = [...catalogue].sort((a, b) => b.playCount - a.playCount).slice(0, SPONSOR_POOL);
  const priced: Priced[] = [];
  return {
    price(user: HeldOut, served: RecommendedItem[], relevant: Set<string>): void {
      const top = served.slice(0, 10).map((it) => it.videoId);
      const sponsor = sponsorFor(user, popular, new Set(top));
      if (!sponsor) return;
      const rule = [{ kind: "sponsored" as const, value: sponsor.videoId, position: SPONSOR_SLOT - 1 }];
      const slotted = applySponsoredSlots(served, sponsoredSlots(rule, [sponsor]))
        .slice(0, 10)
        .map((it) => it.videoId);
      const [r10, n10] = [recallAtK(slotted, relevant, 10), ndcgAtK(slotted, relevant, 10)];
      const [servedR10, servedN10] = [recallAtK(top, relevant, 10), ndcgAtK(top, relevant, 10)];
      priced.push({
        r10,
        n10,
        lossR10: r10 === undefined || servedR10 === undefined ? undefined : servedR10 - r10,
        lossN10: n10 === undefined || servedN10 === undefined ? undefined : servedN10 - n10,
      });
    },
    summary: () => ({
      position: SPONSOR_SLOT,
      users: priced.length,
      recallAt10: meanDefined(priced.map((x) => x.r10)),
      ndcgAt10: meanDefined(priced.map((x) => x.n10)),
      recallLossAt10: meanDefined(priced.map((x) => x.lossR10)),
      ndcgLossAt10: meanDefined(priced.map((x) => x.lossN10)),
    }),
  };
}

/**
 * The sponsored video for a user: one of the most played videos, picked by a hash of the user id
 * (the same on every run), among those the user never commented on, before or after the split,
 * and that their served top 10 does not already hold. Off the page, the slot always displaces
 * organic items (each moves down one, the 10th drops off), so the loss is never negative; a video
 * already on the page would only move, and moving one from above the slot lifts the items
 * between, which could score higher than the page without it.
 */
function sponsorFor(user: HeldOut, popular: CatalogueVideo[], onPage: Set<string>) {
  const engaged = new Set([...user.trainVideoIds, ...user.heldOutVideoIds]);
  const pool = popular.filter((v) => !engaged.has(v.videoId) && !onPage.has(v.videoId));
  if (pool.length === 0) return undefined;
  const pick = createHash("sha256").update(user.userId).digest().readUInt32BE(0) % pool.length;
  return { videoId: pool[pick]!.videoId, creatorId: pool[pick]!.creatorId };
}
