import { seededRandom } from "../../src/platform/seeded-random.js";
import { MAX_RESPONSE_BYTES } from "../../src/ingest/sources/source.js";

/** One creator's recorded responses, the shapes a case is mutated from. */
export interface SeedCreator {
  userinfo: any;
  videos: any[];
  /** Comments per recorded video id. */
  comments: Map<string, any[]>;
}

/** A case: the files to serve (dump layout) and what a correct ingestion of them must report. */
export interface IngestFuzzCase {
  index: number;
  username: string;
  mutations: string[];
  files: { path: string; text: string }[];
  expect: {
    creator: boolean;
    creatorId: string;
    videoIds: string[];
    /** Every video id served in a well-formed envelope, well-formed or not (to check none of the rejected landed). */
    servedVideoIds: string[];
    commentIds: string[];
    servedCommentIds: string[];
    malformed: { userinfo: number; posts: number; comments: number };
    /** Responses lost whole (a bad envelope): one run error each. */
    sourceErrors: number;
  };
}

type Verdict = "accept" | "reject";
interface Mutation {
  name: string;
  verdict: Verdict;
  apply: (item: any) => any;
}

const RAW = (text: string) => `__RAW__${text}__RAW__`;
/** JSON.stringify, then raw tokens JSON cannot express from JS values (1e999, unquoted 19-digit ids). */
const serialise = (body: unknown) => JSON.stringify(body).replace(/"__RAW__(.*?)__RAW__"/g, "$1");

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const SNAKE = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const CAMEL = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const swapCase = (o: any, to: (k: string) => string) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [to(k), v]));

/**
 * Seeded hostile variants of real TikLiveAPI responses: each case is one creator with a few
 * videos and comments, re-identified so cases never collide in the store, then mutated (dropped
 * fields, wrong types, nulls, huge strings, deep nesting, 1e999, negative counts, impossible
 * dates, lone surrogates, duplicated ids, camelCase/snake_case swaps, truncated or non-JSON
 * bodies, arrays for objects, enormous arrays). Each mutation carries the verdict the parser must
 * reach, so the expected counts follow from the case, not from running it. Cases are made one at
 * a time, so a long run holds one case's bodies, not all of them.
 */
export function* ingestFuzzCases(seeds: SeedCreator[], count: number, seed = 8): Generator<IngestFuzzCase> {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const int = (n: number) => Math.floor(random() * n);
  const junk = () =>
    Array.from({ length: 1 + int(6) }, () =>
      pick([
        "\uD800",
        "a\uDC00b",
        "\u0000\u0001",
        "\u202Eevil",
        "🛹".repeat(1 + int(50)),
        "e\u0301".repeat(1 + int(30)),
        "\uFFFE\uFFFF",
        "<script>",
        "' OR 1=1 --",
        "\t\r\n",
      ]),
    ).join("");
  const huge = () => `${junk()}${"lorem ipsum ".repeat(2_000 + int(3_000))}`;
  const deep = (depth: number): unknown => {
    let v: unknown = { leaf: junk() };
    for (let i = 0; i < depth; i++) v = random() < 0.5 ? [v] : { n: v };
    return v;
  };
  const drop = (field: string) => (o: any) => {
    delete o[field];
    return o;
  };
  const set = (field: string, value: () => unknown) => (o: any) => {
    o[field] = value();
    return o;
  };

  // Before 1970, past year 9999 (what RFC 3339 and so Weaviate can hold), or not a Unix time at all.
  const badDates: unknown[] = [
    0,
    -1,
    1e15,
    253_402_300_800,
    "99999999999999",
    "yesterday",
    "2024-01-01T00:00:00Z",
    true,
    {},
    "",
    1.5,
  ];

  const videoMutations = (otherId: string): Mutation[] => [
    ...["video_id", "create_time", "author"].flatMap((f): Mutation[] => [
      { name: `video: drop ${f}`, verdict: "reject", apply: drop(f) },
      { name: `video: null ${f}`, verdict: "reject", apply: set(f, () => null) },
    ]),
    ...["title", "play_count", "music_info", "region", "is_ad", "duration"].map((f): Mutation => ({
      name: `video: drop ${f}`,
      verdict: "accept",
      apply: drop(f),
    })),
    ...["title", "digg_count", "music_info", "is_ad", "region"].map((f): Mutation => ({
      name: `video: null ${f}`,
      verdict: "accept",
      apply: set(f, () => null),
    })),
    {
      name: "video: id of wrong type",
      verdict: "reject",
      apply: set("video_id", () => pick([{}, true, [], -5, 1.5, ""])),
    },
    {
      name: "video: junk id",
      verdict: "reject",
      apply: set("video_id", () => pick(["🛹", "a/b", "x".repeat(100), "\uD800", "1 2"])),
    },
    {
      name: "video: unquoted 19-digit id",
      verdict: "reject",
      apply: set("video_id", () => RAW("7000000000000000123")),
    },
    {
      name: "video: id as a safe number",
      verdict: "accept",
      apply: (o) => ({ ...o, video_id: Number(o.video_id) }),
    },
    { name: "video: bad date", verdict: "reject", apply: set("create_time", () => pick(badDates)) },
    {
      name: "video: count of wrong type",
      verdict: "reject",
      apply: set("play_count", () => pick(["lots", {}, true, [], "1.5", "-3", "NaN"])),
    },
    { name: "video: negative count", verdict: "accept", apply: set("digg_count", () => -pick([1, 1e6])) },
    { name: "video: count 1e999", verdict: "reject", apply: set("play_count", () => RAW("1e999")) },
    { name: "video: count 1e300", verdict: "reject", apply: set("share_count", () => 1e300) },
    {
      name: "video: title of wrong type",
      verdict: "reject",
      apply: set("title", () => pick([42, {}, [], true])),
    },
    { name: "video: huge title", verdict: "accept", apply: set("title", huge) },
    { name: "video: unicode junk title", verdict: "accept", apply: set("title", junk) },
    {
      name: "video: music_info of wrong type",
      verdict: "reject",
      apply: set("music_info", () => pick(["song", [], 7])),
    },
    {
      name: "video: deep nesting in an extra field",
      verdict: "accept",
      apply: set("extra", () => deep(500 + int(1_500))),
    },
    {
      name: "video: another creator's video",
      verdict: "reject",
      apply: (o) => ({ ...o, author: { ...o.author, id: otherId } }),
    },
    {
      name: "video: author of wrong type",
      verdict: "reject",
      apply: set("author", () => pick([[], "me", 5])),
    },
    { name: "video: camelCase keys", verdict: "reject", apply: (o) => swapCase(o, CAMEL) },
    { name: "video: not an object", verdict: "reject", apply: (o) => pick([null, 42, "video", [o], true]) },
  ];

  const commentMutations = (otherVideoId: string): Mutation[] => [
    ...["id", "video_id", "text", "create_time", "user"].flatMap((f): Mutation[] => [
      { name: `comment: drop ${f}`, verdict: "reject", apply: drop(f) },
      { name: `comment: null ${f}`, verdict: "reject", apply: set(f, () => null) },
    ]),
    ...["digg_count", "reply_total", "reply_to_id"].flatMap((f): Mutation[] => [
      { name: `comment: drop ${f}`, verdict: "accept", apply: drop(f) },
      { name: `comment: null ${f}`, verdict: "accept", apply: set(f, () => null) },
    ]),
    {
      name: "comment: text of wrong type",
      verdict: "reject",
      apply: set("text", () => pick([42, {}, [], false])),
    },
    { name: "comment: huge text", verdict: "accept", apply: set("text", huge) },
    { name: "comment: unicode junk text", verdict: "accept", apply: set("text", junk) },
    { name: "comment: on another video", verdict: "reject", apply: set("video_id", () => otherVideoId) },
    {
      name: "comment: junk id",
      verdict: "reject",
      apply: set("id", () => pick(["🛹", "a/b", "x".repeat(100), "\uDC00"])),
    },
    { name: "comment: bad date", verdict: "reject", apply: set("create_time", () => pick(badDates)) },
    { name: "comment: negative count", verdict: "accept", apply: set("reply_total", () => -7) },
    {
      name: "comment: user without handle",
      verdict: "accept",
      apply: (o) => ({ ...o, user: { id: o.user.id } }),
    },
    {
      name: "comment: user of wrong type",
      verdict: "reject",
      apply: set("user", () => pick([[], "someone", 1])),
    },
    { name: "comment: camelCase keys", verdict: "reject", apply: (o) => swapCase(o, CAMEL) },
    { name: "comment: not an object", verdict: "reject", apply: (o) => pick([null, 3, "comment", [o]]) },
  ];

  // Whole-body variants: [name, verdict, body -> text].
  type BodyMutation = [string, Verdict, (body: any) => string];
  const brokenBody = (what: string): BodyMutation[] => [
    [
      `${what}: not JSON`,
      "reject",
      () => pick(["<html>502 Bad Gateway</html>", "", "undefined", "{'a': 1}"]),
    ],
    [
      `${what}: truncated JSON`,
      "reject",
      (b) => {
        const t = serialise(b);
        return t.slice(0, 1 + int(t.length - 2));
      },
    ],
    [`${what}: array for the object`, "reject", (b) => serialise([b])],
    [`${what}: null body`, "reject", () => "null"],
    [`${what}: deeply nested arrays`, "reject", () => `${"[".repeat(50_000)}${"]".repeat(50_000)}`],
  ];
  const userinfoBodies: BodyMutation[] = [
    ...brokenBody("userinfo"),
    ["userinfo: no user", "reject", (b) => serialise({ stats: b.stats })],
    ["userinfo: user is an array", "reject", (b) => serialise({ ...b, user: [b.user] })],
    ["userinfo: snake_case user", "reject", (b) => serialise({ ...b, user: swapCase(b.user, SNAKE) })],
    ["userinfo: empty uniqueId", "reject", (b) => serialise({ ...b, user: { ...b.user, uniqueId: "" } })],
    [
      "userinfo: verified of wrong type",
      "reject",
      (b) => serialise({ ...b, user: { ...b.user, verified: "yes" } }),
    ],
    [
      "userinfo: follower count of wrong type",
      "reject",
      (b) => serialise({ ...b, stats: { ...b.stats, followerCount: "many" } }),
    ],
    ["userinfo: huge bio", "accept", (b) => serialise({ ...b, user: { ...b.user, signature: huge() } })],
    [
      "userinfo: unicode junk bio and nickname",
      "accept",
      (b) => serialise({ ...b, user: { ...b.user, signature: junk(), nickname: junk() } }),
    ],
    ["userinfo: null nickname", "accept", (b) => serialise({ ...b, user: { ...b.user, nickname: null } })],
    [
      "userinfo: negative counts",
      "accept",
      (b) => serialise({ ...b, stats: { ...b.stats, followerCount: -1, heartCount: -5 } }),
    ],
    ["userinfo: empty stats", "accept", (b) => serialise({ ...b, stats: {} })],
  ];
  const postsBodies: BodyMutation[] = [
    ...brokenBody("posts"),
    ["posts: no videos", "reject", () => serialise({ data: [] })],
    ["posts: videos null", "reject", () => serialise({ videos: null })],
    ["posts: videos an object", "reject", (b) => serialise({ videos: { ...b.videos } })],
    ["posts: empty videos", "accept", () => serialise({ videos: [] })],
    [
      "posts: body over the size limit",
      "reject",
      (b) => serialise({ videos: [...b.videos, { pad: "x".repeat(MAX_RESPONSE_BYTES) }] }),
    ],
  ];
  const commentBodies: BodyMutation[] = [
    ...brokenBody("comments"),
    ["comments: comments null", "reject", () => serialise({ comments: null })],
    ["comments: comments a string", "reject", () => serialise({ comments: "none" })],
    ["comments: empty comments", "accept", () => serialise({ comments: [] })],
  ];

  for (let index = 0; index < count; index++) {
    const from = seeds[index % seeds.length]!;
    const base = `9${String(index).padStart(6, "0")}`;
    const creatorId = `${base}000`;
    const username = `fuzz_${index}`;
    const mutations: string[] = [];
    const userinfo = structuredClone(from.userinfo);
    userinfo.user = { ...userinfo.user, id: creatorId, uniqueId: username };

    // A few videos with a few comments each: embedding is the slow part.
    const picked = from.videos.slice(0, 2 + int(3));
    const videos = picked.map((v, i) => ({
      ...structuredClone(v),
      video_id: `${base}1${String(i).padStart(2, "0")}`,
      author: { ...v.author, id: creatorId, unique_id: username },
    }));
    const comments = new Map<string, any[]>(
      picked.map((v, i) => {
        const id = videos[i]!.video_id as string;
        const list = (from.comments.get(String(v.video_id)) ?? []).slice(0, int(4));
        return [
          id,
          list.map((c, j) => ({
            ...structuredClone(c),
            id: `${base}2${String(i).padStart(2, "0")}${j}`,
            video_id: id,
          })),
        ];
      }),
    );

    const mode = random();
    let userinfoText = serialise(userinfo);
    let creatorOk = true;
    let postsOk = true;
    let postsText: string | undefined;
    const commentTexts = new Map<string, string>();
    const commentsOk = new Map<string, boolean>();
    const videoVerdicts: Verdict[] = videos.map(() => "accept");
    const served: any[] = [...videos];
    const commentVerdicts = new Map<string, Verdict[]>(
      [...comments].map(([id, list]) => [id, list.map((): Verdict => "accept")]),
    );

    if (mode < 0.15) {
      const [name, verdict, make] = pick(userinfoBodies);
      mutations.push(name);
      userinfoText = make(userinfo);
      creatorOk = verdict === "accept";
    } else if (mode < 0.25) {
      const [name, verdict, make] = pick(postsBodies);
      mutations.push(name);
      postsText = make({ videos });
      postsOk = verdict === "accept";
      if (postsOk) served.length = 0; // the only accepted body is an empty list
    } else {
      const itemMutations = 1 + int(3);
      for (let m = 0; m < itemMutations; m++) {
        if (random() < 0.5 || videos.length === 0) {
          const withComments = [...comments].filter(([, l]) => l.length > 0);
          if (withComments.length === 0) continue;
          const [videoId, list] = pick(withComments);
          const at = int(list.length);
          if (!isRecord(list[at])) continue; // already replaced by a non-object
          const mutation = pick(
            commentMutations(videos.find((v) => v.video_id !== videoId)?.video_id ?? `${base}199`),
          );
          list[at] = mutation.apply(structuredClone(list[at]));
          mutations.push(mutation.name);
          if (mutation.verdict === "reject") commentVerdicts.get(videoId)![at] = "reject";
        } else {
          const at = int(videos.length);
          if (!isRecord(served[at])) continue;
          const mutation = pick(videoMutations(`${base}999`));
          served[at] = mutation.apply(structuredClone(served[at]));
          mutations.push(mutation.name);
          if (mutation.verdict === "reject") videoVerdicts[at] = "reject";
        }
      }
      if (random() < 0.3) {
        const withComments = [...comments].filter(
          ([id, l]) => l.length > 0 && videoVerdicts[videos.findIndex((v) => v.video_id === id)] === "accept",
        );
        if (withComments.length > 0) {
          const [videoId] = pick(withComments);
          const [name, verdict, make] = pick(commentBodies);
          mutations.push(name);
          commentTexts.set(videoId, make({ comments: comments.get(videoId) }));
          commentsOk.set(videoId, verdict === "accept");
          if (verdict === "accept") commentVerdicts.set(videoId, []);
          if (verdict === "accept") comments.set(videoId, []);
        }
      }
    }

    // Duplicated ids: a copy of a well-formed video, or many copies (an enormous array).
    const dupAt = videoVerdicts.findIndex((v) => v === "accept");
    // (Not of a deeply nested one: thousands of those take seconds to serialise here and to parse
    // there, which measures JSON, not us; "body over the size limit" covers big bodies.)
    if (postsOk && postsText === undefined && dupAt >= 0 && random() < 0.2 && !("extra" in served[dupAt])) {
      const copies = random() < 0.3 ? 2_000 + int(3_000) : 1;
      mutations.push(copies === 1 ? "video: duplicated id" : `posts: ${copies} copies of one video`);
      // The same object many times: JSON.stringify writes it out each time, and no clone blocks the loop.
      served.splice(dupAt + 1, 0, ...Array.from({ length: copies }, () => served[dupAt]));
      videoVerdicts.splice(dupAt + 1, 0, ...Array.from({ length: copies }, (): Verdict => "reject"));
    }
    // Enormous arrays of junk items, each rejected on its own.
    if (postsOk && postsText === undefined && random() < 0.1) {
      const n = 10_000 + int(20_000);
      mutations.push(`posts: ${n} junk items`);
      for (let i = 0; i < n; i++) {
        served.push(pick([{}, 1, null, { video_id: "x" }, [], "v"]));
        videoVerdicts.push("reject");
      }
    }

    const postsBody = postsText ?? serialise({ videos: served });
    // Many copies of a deeply nested video can pass the limit by themselves: then the body goes whole.
    if (postsOk && postsText === undefined && Buffer.byteLength(postsBody) > MAX_RESPONSE_BYTES) {
      mutations.push("posts: over the size limit");
      postsOk = false;
    }
    const files: IngestFuzzCase["files"] = [{ path: `users/${username}.json`, text: userinfoText }];
    files.push({ path: `posts/${creatorId}.json`, text: postsBody });
    for (const [videoId, list] of comments)
      files.push({
        path: `comments/${videoId}.json`,
        text: commentTexts.get(videoId) ?? serialise({ comments: list }),
      });

    // What a correct run reports, from the verdicts alone.
    const malformed = { userinfo: 0, posts: 0, comments: 0 };
    let sourceErrors = 0;
    const videoIds: string[] = [];
    const commentIds: string[] = [];
    const servedVideoIds: string[] = [];
    const servedCommentIds: string[] = [];
    if (!creatorOk) {
      malformed.userinfo = 1;
      sourceErrors = 1;
    } else if (!postsOk) {
      malformed.posts = 1;
      sourceErrors = 1;
    } else if (postsText === undefined) {
      served.forEach((v, i) => {
        if (v && typeof v === "object" && typeof v.video_id === "string") servedVideoIds.push(v.video_id);
        if (videoVerdicts[i] === "reject") return void malformed.posts++;
        const id = String(v.video_id);
        videoIds.push(id);
        if (commentsOk.get(id) === false) {
          malformed.comments++;
          sourceErrors++;
          return;
        }
        const list = comments.get(id) ?? [];
        list.forEach((c, j) => {
          if (c && typeof c === "object" && typeof c.id === "string") servedCommentIds.push(c.id);
          if (commentVerdicts.get(id)![j] === "reject") malformed.comments++;
          else commentIds.push(String(c.id));
        });
      });
    }
    const creator = creatorOk && postsOk;
    yield {
      index,
      username,
      mutations,
      files,
      expect: {
        creator,
        creatorId,
        videoIds,
        servedVideoIds,
        commentIds,
        servedCommentIds,
        malformed,
        sourceErrors,
      },
    };
  }
}
