import { createHash } from "node:crypto";
import type { ArmAssignment, Experiment } from "../domain/experiment.js";

/**
 * Where a user falls in [0, 1) for one experiment: the first 52 bits of SHA-256(salt:userId). The
 * same user and salt always land on the same point, so a user keeps one arm for the whole test,
 * on every replica; a new salt (a new test) reshuffles everyone independently of the last test.
 */
export function assignmentPoint(salt: string, userId: string): number {
  const digest = createHash("sha256").update(`${salt}:${userId}`).digest();
  // 52 bits fit a double exactly: 6 bytes and the high nibble of the seventh.
  const high = digest.readUIntBE(0, 6);
  const low = digest[6]! >> 4;
  return (high * 16 + low) / 2 ** 52;
}

/** The arm a user is in: arms take consecutive slices of [0, 1) in their order, by weight. */
export function assignArm(experiment: Experiment, userId: string): ArmAssignment {
  const point = assignmentPoint(experiment.salt, userId);
  let edge = 0;
  for (const arm of experiment.arms) {
    edge += arm.weight;
    if (point < edge) return { experimentId: experiment.id, arm: arm.name, settings: arm.settings };
  }
  // Weights sum to 1 up to rounding; a point in the rounding gap belongs to the last arm.
  const last = experiment.arms[experiment.arms.length - 1]!;
  return { experimentId: experiment.id, arm: last.name, settings: last.settings };
}
