import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  compareClass,
  creationOrder,
  loadClassDefinitions,
  withReplication,
} from "../../src/store/class-schema.js";

describe("weaviate/classes definitions", () => {
  const defs = loadClassDefinitions();
  const byName = new Map(defs.map((d) => [d.class, d]));

  it("defines the classes, vectors self-provided or ref2vec centroids", () => {
    assert.deepEqual([...byName.keys()].sort(), [
      "Cohort",
      "Comment",
      "Creator",
      "CreatorBio",
      "Curation",
      "IngestRun",
      "UserInterest",
      "UserProfile",
      "UserVideoInterest",
      "Video",
    ]);
    for (const name of ["Video", "Comment", "CreatorBio"]) assert.equal(byName.get(name)!.vectorizer, "none");
    for (const name of ["Creator", "UserInterest", "UserVideoInterest"]) {
      const def = byName.get(name)!;
      assert.equal(def.vectorizer, "ref2vec-centroid");
      const refs = def.moduleConfig!["ref2vec-centroid"]!.referenceProperties!;
      for (const ref of refs)
        assert.ok(
          def.properties.some((p) => p.name === ref),
          `${name}.${ref} is not a property`,
        );
    }
  });

  it("gives Video every property the recall filters need", () => {
    const props = new Set(byName.get("Video")!.properties.map((p) => p.name));
    for (const p of [
      "language",
      "creatorId",
      "creatorFollowers",
      "createdAt",
      "hashtags",
      "musicTitle",
      "playCount",
      "likeCount",
      "commentCount",
    ]) {
      assert.ok(props.has(p), `Video.${p} missing`);
    }
  });

  it("orders creation so referenced classes exist first", () => {
    const order = creationOrder(defs).map((d) => d.class);
    assert.ok(order.indexOf("Video") < order.indexOf("Comment"));
    assert.ok(order.indexOf("Comment") < order.indexOf("UserInterest"));
    assert.ok(order.indexOf("CreatorBio") < order.indexOf("Creator"));
  });

  it("reports each difference of a live class", () => {
    const want = byName.get("Creator")!;
    const have = structuredClone(want);
    have.vectorizer = "none";
    have.properties = have.properties
      .filter((p) => p.name !== "followerCount")
      .concat({ name: "legacy", dataType: ["text"] });
    have.properties.find((p) => p.name === "username")!.tokenization = "word";
    const problems = compareClass(want, have);
    assert.equal(problems.length, 4, problems.join("\n"));
    assert.match(problems.join("\n"), /vectorizer.*none/);
    assert.match(problems.join("\n"), /followerCount: missing/);
    assert.match(problems.join("\n"), /username: tokenization word/);
    assert.match(problems.join("\n"), /legacy: not in/);
    assert.deepEqual(compareClass(want, structuredClone(want)), []);
  });

  it("gives every class the configured replicas and reports a live class with another factor", () => {
    const want = withReplication(byName.get("Video")!, 3);
    assert.deepEqual(want.replicationConfig, {
      factor: 3,
      asyncEnabled: true,
      deletionStrategy: "TimeBasedResolution",
    });
    assert.deepEqual(withReplication(byName.get("Video")!, 1).replicationConfig, { factor: 1 });
    const single = {
      ...structuredClone(byName.get("Video")!),
      replicationConfig: { factor: 1, asyncEnabled: false },
    };
    assert.deepEqual(compareClass(want, single), [
      "Video: replication factor is 1, expected 3 (WEAVIATE_REPLICATION_FACTOR)",
    ]);
    assert.deepEqual(
      compareClass(want, {
        ...structuredClone(want),
        replicationConfig: { factor: 3, asyncEnabled: true, objectDeletionConflictResolution: "x" },
      }),
      [],
    );
  });
});
