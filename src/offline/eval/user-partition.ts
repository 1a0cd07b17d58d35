import { createHash } from "node:crypto";

/**
 * Which half of the users a user belongs to, fixed by their id: the learned ranker trains on the
 * "train" half and the evaluation reports on the "evaluation" half, so no evaluated user's
 * engagement ever shaped the model.
 */
export function userPartition(userId: string): "train" | "evaluation" {
  return createHash("sha256").update(userId).digest()[0]! % 2 === 0 ? "train" : "evaluation";
}
