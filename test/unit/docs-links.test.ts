import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { REPO_ROOT } from "../../src/platform/paths.js";

interface Link {
  file: string;
  line: number;
  target: string;
}

const DOCS_DIR = join(REPO_ROOT, "docs");
const README = join(REPO_ROOT, "README.md");

/** Every relative link target in a markdown text: inline links, images and reference definitions. */
function markdownLinks(text: string, file: string): Link[] {
  const links: Link[] = [];
  let fence: string | undefined;
  text.split("\n").forEach((raw, index) => {
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(raw);
    if (opening) {
      const marker = opening[1] ?? "";
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return;
    }
    if (fence !== undefined) return;
    const line = raw.replace(/(`+)[\s\S]*?\1/g, ""); // code spans hold no links
    const targets: string[] = [];
    for (const m of line.matchAll(/!?\[(?:[^\][]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^\s)]*)/g)) {
      targets.push(m[1] ?? "");
    }
    const definition = /^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(line);
    if (definition) targets.push(definition[1] ?? "");
    for (let target of targets) {
      if (target.startsWith("<") && target.endsWith(">")) target = target.slice(1, -1);
      if (target === "" || target.startsWith("#") || /^(https?|mailto):/i.test(target)) continue;
      links.push({ file, line: index + 1, target });
    }
  });
  return links;
}

/** The file a relative link points at, from the file that holds it (fragment and query dropped). */
function resolveLink(link: Link): string {
  const path = decodeURIComponent(link.target.replace(/[#?].*$/, ""));
  return path.startsWith("/") ? join(REPO_ROOT, path) : resolve(dirname(link.file), path);
}

const docsPages = existsSync(DOCS_DIR)
  ? readdirSync(DOCS_DIR)
      .filter((name) => name.endsWith(".md"))
      .sort()
      .map((name) => join(DOCS_DIR, name))
  : [];

describe("README.md and docs/", () => {
  const files = [README, ...docsPages];
  const links = files.flatMap((file) => markdownLinks(readFileSync(file, "utf8"), file));

  it("has docs pages with relative links to check", () => {
    assert.ok(docsPages.length > 0, "docs/ holds no .md page");
    assert.ok(links.length > 0, "no relative link found");
  });

  it("links only to files that exist", () => {
    const broken = links
      .filter((link) => !existsSync(resolveLink(link)))
      .map((link) => `${relative(REPO_ROOT, link.file)}:${link.line}: ${link.target}`);
    assert.deepEqual(broken, [], `broken links:\n${broken.join("\n")}`);
  });

  it("links every docs page from README.md", () => {
    const fromReadme = new Set(links.filter((link) => link.file === README).map(resolveLink));
    const unlinked = docsPages
      .filter((page) => !fromReadme.has(page))
      .map((page) => relative(REPO_ROOT, page));
    assert.deepEqual(unlinked, [], `docs pages README.md does not link: ${unlinked.join(", ")}`);
  });
});

describe("markdownLinks", () => {
  it("finds relative links and skips URLs, anchors, code spans and fenced code", () => {
    const text = [
      "See [a](docs/a.md#part), ![img](<img/b c.png>) and [c](https://example.com), [d](mailto:x@y.z), [e](#top).",
      "`[not](a-link.md)`",
      "```",
      "[inside](fence.md)",
      "```",
      "[ref]: ./ref.md",
    ].join("\n");
    assert.deepEqual(
      markdownLinks(text, "/r/README.md").map((l) => [l.line, l.target]),
      [
        [1, "docs/a.md#part"],
        [1, "img/b c.png"],
        [6, "./ref.md"],
      ],
    );
  });
});
