/** Which ranker serves; model-serving.ts keeps it current across activations. */
export interface RankerStatus {
  /** "learned" or "fixed blend". */
  kind: string;
  /** The registry id of the serving learned ranker. */
  modelId?: string;
  /** Why the fixed blend ranks, when it does. */
  reason?: string;
}

/** RankerStatus for what serves now: a learned ranker by its registry id, or the fixed blend and why. */
export function rankerStatusOf(id: string | null, reason?: string): RankerStatus {
  return id
    ? { kind: "learned", modelId: id }
    : { kind: "fixed blend", reason: reason ?? "no learned ranker" };
}
