import { readdirSync, readFileSync } from "node:fs";
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** One user's held-out future: the videos to find, and when their future starts. */
export interface HeldOut {
  userId: string;
  /** The user's first comment on their earliest held-out video: nothing at or after it is ingested. */
  splitTime: number;
  /** Videos the user commented on before the split (their training signal), oldest first. */
  trainVideoIds: string[];
  /** The latest 20% of the videos they commented on: the positives. */
  heldOutVideoIds: string[];
  /** Ids and texts of their comments before the split: all of their past that the evaluation ingests. */
  trainComments: { id: string; text: string }[];
}

export interface TimeSplit {
  users: HeldOut[];
  /** Comment ids removed from the ingested copy (every comment of a split user at or after their split time). */
  heldOutCommentIds: Set<string>;
  /** video id -> create times (s) of all its comments in the dump, sorted: for point-in-time comment counts. */
  commentTimes: Map<string, number[]>;
}

interface RawComment {
  id: string;
  video_id: string;
  create_time: number;
  text?: string;
  user?: { id?: string };
}

/**
 * The evaluation's split, per user by time: users who commented on at least `minVideos` distinct
 * videos hold out the latest `heldOutShare` of those videos (at least one), ordered by their first
 * comment on each. Deterministic: ties in time break on video id.
 */
export function timeSplit(
  dumpDir: string,
  opts: { minVideos?: number; heldOutShare?: number } = {},
): TimeSplit {
  const minVideos = opts.minVideos ?? 5;
  const share = opts.heldOutShare ?? 0.2;
  const firstTouch = new Map<string, Map<string, number>>(); // user -> video -> first comment time
  const byUser = new Map<string, { id: string; videoId: string; time: number; text: string }[]>();
  const commentTimes = new Map<string, number[]>();
  for (const file of readdirSync(join(dumpDir, "comments"))
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const body = JSON.parse(readFileSync(join(dumpDir, "comments", file), "utf8")) as {
      comments?: RawComment[];
    };
    for (const c of body.comments ?? []) {
      const userId = c.user?.id;
      if (!userId || typeof c.create_time !== "number") continue;
      const times = commentTimes.get(c.video_id) ?? [];
      times.push(c.create_time);
      commentTimes.set(c.video_id, times);
      const touched = firstTouch.get(userId) ?? new Map<string, number>();
      touched.set(c.video_id, Math.min(touched.get(c.video_id) ?? Infinity, c.create_time));
      firstTouch.set(userId, touched);
      const list = byUser.get(userId) ?? [];
      list.push({ id: c.id, videoId: c.video_id, time: c.create_time, text: String(c.text ?? "") });
      byUser.set(userId, list);
    }
  }
  for (const times of commentTimes.values()) times.sort((a, b) => a - b);

  const users: HeldOut[] = [];
  const heldOutCommentIds = new Set<string>();
  for (const [userId, touched] of [...firstTouch].sort(([a], [b]) => a.localeCompare(b))) {
    if (touched.size < minVideos) continue;
    const ordered = [...touched].sort(([va, ta], [vb, tb]) => ta - tb || va.localeCompare(vb));
    const hold = Math.max(1, Math.round(ordered.length * share));
    const splitTime = ordered[ordered.length - hold]![1];
    const train = ordered.filter(([, t]) => t < splitTime).map(([v]) => v);
    const heldOut = ordered.filter(([, t]) => t >= splitTime).map(([v]) => v);
    if (train.length === 0) continue; // everything at one instant: no past to learn from
    const comments = byUser.get(userId)!;
    for (const c of comments) if (c.time >= splitTime) heldOutCommentIds.add(c.id);
    const trainComments = comments.filter((c) => c.time < splitTime).map(({ id, text }) => ({ id, text }));
    users.push({ userId, splitTime, trainVideoIds: train, heldOutVideoIds: heldOut, trainComments });
  }
  return { users, heldOutCommentIds, commentTimes };
}

/**
 * Copies the dump with only the evaluated users' comments from before their split: what the
 * evaluation ingests. Nothing else influences a score (no signal reads other users' comments; a
 * video's comment count comes from its post), so the rest is not embedded. Asynchronous file by
 * file: a long synchronous copy would stall the event loop while Weaviate closes idle keep-alive
 * connections, and the next request would go out on a dead socket ("other side closed").
 */
export async function writeTrainingDump(dumpDir: string, users: HeldOut[], outDir: string): Promise<void> {
  const keep = new Set(users.flatMap((u) => u.trainComments.map((c) => c.id)));
  for (const sub of ["users", "posts"]) await cp(join(dumpDir, sub), join(outDir, sub), { recursive: true });
  await mkdir(join(outDir, "comments"), { recursive: true });
  for (const file of (await readdir(join(dumpDir, "comments"))).filter((f) => f.endsWith(".json"))) {
    const body = JSON.parse(await readFile(join(dumpDir, "comments", file), "utf8")) as {
      comments?: RawComment[];
    };
    const kept = (body.comments ?? []).filter((c) => keep.has(c.id));
    await writeFile(join(outDir, "comments", file), JSON.stringify({ ...body, comments: kept }));
  }
}

/** Comments a video had strictly before `time` (s): a point-in-time engagement signal. */
export function commentsBefore(split: TimeSplit, videoId: string, time: number): number {
  const times = split.commentTimes.get(videoId) ?? [];
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
