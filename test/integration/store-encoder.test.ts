import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../../src/platform/logger.js";
import { ErrorCode } from "../../src/platform/errors.js";
import type { Encoder } from "../../src/embed/encoder.js";
import { encoderFamily } from "../../src/embed/encoder-choice.js";
import { createIngestRunner } from "../../src/ingest/ingest-runner.js";
import { createDumpSource } from "../../src/ingest/sources/dump-source.js";
import { claimStoreEncoder, ENCODER_MARKER_FILE } from "../../src/store/server/store-encoder.js";
import { demoDump } from "../helpers/demo-dump.js";
import { testEncoder } from "../helpers/encoder.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

const L6 = "sentence-transformers/all-MiniLM-L6-v2";
const L3 = "sentence-transformers/paraphrase-MiniLM-L3-v2";
const mismatch = (err: Error & { code?: string }) => {
  assert.equal(err.code, ErrorCode.StoreEncoderMismatch);
  assert.match(err.message, /EMBED_MODEL/);
  return true;
};

// A store built with one encoder is never queried with another (live Weaviate, real model).
describe("store encoder marker", () => {
  let w: TestWeaviate;
  let encoder: Encoder;
  before(async () => {
    w = await startTestWeaviate();
    encoder = await testEncoder("auto");
  });
  after(async () => {
    await encoder?.dispose();
    await w?.dispose();
  });

  it("an empty store takes the first encoder; q8 and fp32 of the same model share it", async () => {
    await claimStoreEncoder(w, encoderFamily(encoder.modelId));
    assert.ok(existsSync(join(w.dataDir, ENCODER_MARKER_FILE)));
    await claimStoreEncoder(w, encoderFamily(`${L6}@onnx-q8`));
  });

  it("another model is refused, naming both and the way out", async () => {
    await assert.rejects(claimStoreEncoder(w, L3), (err: Error & { code?: string }) => {
      mismatch(err);
      assert.ok(err.message.includes(L6) && err.message.includes(L3), err.message);
      return true;
    });
  });

  it("a store with videos and no marker predates the second encoder: MiniLM-L6 only", async () => {
    const { dir } = demoDump();
    try {
      const dump = createDumpSource(dir);
      await createIngestRunner({ weaviate: w, encoder, log: silentLogger }).run(
        dump,
        dump.usernames().slice(0, 1),
        {
          trigger: "test",
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    rmSync(join(w.dataDir, ENCODER_MARKER_FILE));
    await assert.rejects(claimStoreEncoder(w, L3), mismatch);
    await claimStoreEncoder(w, L6);
    assert.ok(existsSync(join(w.dataDir, ENCODER_MARKER_FILE)));
  });
});
