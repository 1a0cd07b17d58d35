import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { seededRandom } from "../../src/platform/seeded-random.js";

export type TextSets = Record<"short" | "long" | "mixed", string[]>;

/**
 * Benchmark texts: real comments from a dump's comments/ folder when there is one (short = 14-18
 * tokens, long = comments joined to ~64 tokens, mixed = a random sample as they come), else
 * generated sentences of the same token lengths.
 */
export function benchTexts(dataset: string, countTokens: (t: string) => number, size = 512): TextSets {
  const random = seededRandom(7);
  const comments = existsSync(join(dataset, "comments"))
    ? readComments(join(dataset, "comments"), random)
    : generated(random);
  const short = comments.filter((t) => within(countTokens(t), 14, 18)).slice(0, size);
  const long: string[] = [];
  let current = "";
  for (const text of comments) {
    current = current ? `${current} ${text}` : text;
    const n = countTokens(current);
    if (n >= 60 && n <= 68) long.push(current);
    if (n >= 60) current = "";
    if (long.length === size / 2) break;
  }
  const mixed = comments.slice(0, size * 2);
  return { short, long, mixed };
}

const within = (n: number, lo: number, hi: number) => n >= lo && n <= hi;

function readComments(dir: string, random: () => number): string[] {
  const files = readdirSync(dir).sort();
  const texts: string[] = [];
  for (let i = 0; texts.length < 20_000 && i < 600; i++) {
    const file = files[Math.floor(random() * files.length)]!;
    const body = JSON.parse(readFileSync(join(dir, file), "utf8")) as { comments?: { text?: string }[] };
    for (const c of body.comments ?? []) if (typeof c.text === "string" && c.text.trim()) texts.push(c.text);
  }
  return texts.sort(() => random() - 0.5);
}

function generated(random: () => number): string[] {
  const words =
    "skate music dance pasta recipe baby mom morning routine football goal travel beach makeup tutorial funny cat dog love this so much omg".split(
      " ",
    );
  return Array.from({ length: 5000 }, () =>
    Array.from(
      { length: 3 + Math.floor(random() * 40) },
      () => words[Math.floor(random() * words.length)],
    ).join(" "),
  );
}
