import { seededRandom } from "../../platform/seeded-random.js";
import type { HeldOut } from "../eval/time-split.js";
import type { SimUser } from "./world.js";

/** A seeded shuffle of the users, the first `n` kept (all when unset): the A/A runs take a prefix. */
export function sampleUsers(users: readonly HeldOut[], n: number | undefined, seed: number): SimUser[] {
  const random = seededRandom(seed);
  const copy = [...users];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy
    .slice(0, n ?? copy.length)
    .map((u) => ({ userId: u.userId, heldOut: new Set(u.heldOutVideoIds) }));
}
