import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadClassDefinitions } from "../../src/store/class-schema.js";
import type { PropertyTypes } from "../../src/store/collections/property-types.js";
import {
  CLASS_PROPERTIES,
  classWith,
  isClassName,
  ourClass,
  type ClassProps,
} from "../../src/store/collections/typed-collections.js";
import { CREATOR_PROPERTIES, type CreatorProps } from "../../src/store/collections/creator.props.js";
import { VIDEO_PROPERTIES, type VideoProps } from "../../src/store/collections/video.props.js";

/**
 * The props types of src/store/collections/ against weaviate/classes/*.json. The compiler ties each
 * run-time description (VIDEO_PROPERTIES...) to its type: same properties, a data type the client
 * maps that TypeScript type to, the referenced class; this compares the descriptions with the JSON.
 */
describe("typed collections match weaviate/classes/", () => {
  const defs = loadClassDefinitions();

  it("has a props type for every class and for no other", () => {
    assert.deepEqual(Object.keys(CLASS_PROPERTIES).sort(), defs.map((d) => d.class).sort());
  });

  for (const def of defs) {
    it(`${def.class}: every property of ${def.class}.json with its data type, and no other`, () => {
      assert.ok(isClassName(def.class), `${def.class} has no props type in src/store/collections/`);
      const described: Record<string, string> = CLASS_PROPERTIES[def.class];
      const json = Object.fromEntries(def.properties.map((p) => [p.name, p.dataType.join(",")]));
      for (const [name, dataType] of Object.entries(json)) {
        assert.ok(
          name in described,
          `${def.class}.${name} (${dataType}) is missing from ${def.class}'s props type`,
        );
        assert.equal(
          described[name],
          dataType,
          `${def.class}.${name}: the props type says ${described[name]}, ${def.class}.json says ${dataType}`,
        );
      }
      for (const name of Object.keys(described))
        assert.ok(name in json, `${def.class}'s props type has ${name}, which ${def.class}.json lacks`);
    });
  }

  it("checks run-time class names against the classes and their properties", () => {
    assert.equal(ourClass("Video"), "Video");
    assert.throws(() => ourClass("Videos"), /Videos is not a class of weaviate\/classes\//);
    assert.equal(classWith("Creator", "refreshedAt"), "Creator");
    assert.throws(() => classWith("Creator", "syncHash", "contentHash"), /Creator .* lacks contentHash/);
  });
});

// The compiler's half: a description that drifts from its type does not compile (tsc checks these).
// @ts-expect-error a data type the client does not map a string to
void ({ ...VIDEO_PROPERTIES, title: "int" } as const satisfies PropertyTypes<VideoProps>);
// @ts-expect-error a property the type lacks
void ({ ...VIDEO_PROPERTIES, notAProperty: "text" } as const satisfies PropertyTypes<VideoProps>);
// @ts-expect-error a reference naming another class than the one its props type points at
void ({ ...CREATOR_PROPERTIES, videos: "Comment" } as const satisfies PropertyTypes<
  CreatorProps,
  ClassProps
>);
const { title: _title, ...withoutTitle } = VIDEO_PROPERTIES;
// @ts-expect-error a property of the type left out
void (withoutTitle satisfies PropertyTypes<VideoProps>);
