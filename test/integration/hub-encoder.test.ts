import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { choiceFor } from "../../src/app/encoder-generations-service.js";
import { createEncoder } from "../../src/embed/encoder.js";
import { encoderFamily } from "../../src/embed/encoder-choice.js";
import { hubLayout } from "../../src/embed/hub-encoder-files.js";
import { L3_NAME, L3_TOKENIZER_FILES, l3Layout } from "../../src/embed/paraphrase-l3-files.js";
import { provisionHubEncoder } from "../../src/embed/provision-hub-encoder.js";
import { ConfigError, loadConfig } from "../../src/platform/config/config.js";
import { silentLogger } from "../../src/platform/logger.js";
import { testEncoder } from "../helpers/encoder.js";
import { cosine } from "../helpers/vectors.js";

const l3 = l3Layout(loadConfig().models.dir);
const skip = !existsSync(l3.onnx) && `needs ${l3.onnx} (npm run provision) to stand in for a hub download`;
/** Nothing listens on port 9 (discard) here: the hub is unreachable, as on this project's CI machines. */
const OFFLINE_HUB = "http://127.0.0.1:9";

// EMBED_MODEL=hub:<org>/<name>: the offline path (the repo's files put in place by hand, here a
// real model: paraphrase-MiniLM-L3-v2's ONNX with its tokenizer) and the clear errors without it.
// The download itself needs huggingface.co, which this machine cannot reach: not tested here.
describe("an encoder from the hub (EMBED_MODEL=hub:<org>/<name>)", { skip }, () => {
  const modelsDir = mkdtempSync(join(tmpdir(), "hub-encoder-"));
  const repo = "test-org/l3-placed-by-hand";
  const layout = hubLayout(modelsDir, repo);
  after(() => rmSync(modelsDir, { recursive: true, force: true }));

  it("takes files put in place by hand, records their hashes and serves that model", async () => {
    mkdirSync(join(layout.dir, "onnx"), { recursive: true });
    copyFileSync(l3.onnx, layout.onnx);
    for (const f of L3_TOKENIZER_FILES) copyFileSync(join(l3.dir, f), join(layout.dir, f));
    assert.equal(await provisionHubEncoder(modelsDir, repo, OFFLINE_HUB, silentLogger), "local");
    assert.equal(await provisionHubEncoder(modelsDir, repo, OFFLINE_HUB, silentLogger), "present");

    const hub = await createEncoder({ modelsDir, variant: `hub:${repo}`, provider: "cpu" });
    const packaged = await testEncoder(L3_NAME);
    try {
      assert.equal(hub.modelId, `${repo}@onnx-fp32`);
      assert.equal(hub.dim, 384);
      const text = "o melhor kickflip da pista de skate";
      const [[a], [b]] = [await hub.embed([text]), await packaged.embed([text])];
      assert.ok(cosine(a!, b!) > 0.9999, "the same model's vectors");
      // A generation embedded by it is served again by the same EMBED_MODEL value.
      assert.equal(choiceFor(encoderFamily(hub.modelId)), `hub:${repo}`);
    } finally {
      await hub.dispose();
      await packaged.dispose();
    }
  });

  it("refuses files changed since they were recorded", async () => {
    appendFileSync(join(layout.dir, "tokenizer_config.json"), " ");
    await assert.rejects(
      provisionHubEncoder(modelsDir, repo, OFFLINE_HUB, silentLogger),
      /differs from its provenance \(tokenizer_config\.json missing or changed\)/,
    );
  });

  it("says what to do when the hub is unreachable and the files are not there", async () => {
    const missing = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2";
    await assert.rejects(provisionHubEncoder(modelsDir, missing, OFFLINE_HUB, silentLogger), (err: Error) => {
      assert.match(err.message, /the hub is unreachable/);
      assert.ok(err.message.includes(hubLayout(modelsDir, missing).dir), err.message);
      return true;
    });
    await assert.rejects(
      createEncoder({ modelsDir, variant: `hub:${missing}`, provider: "cpu" }),
      /Encoder model missing: .*EMBED_MODEL=hub:sentence-transformers\/paraphrase-multilingual-MiniLM-L12-v2 npm run provision/,
    );
  });

  it("EMBED_MODEL takes hub:<org>/<name> and refuses a malformed one", () => {
    const ok = loadConfig({ HOME: "/home/u", EMBED_MODEL: `hub:${repo}` });
    assert.equal(ok.models.variant, `hub:${repo}`);
    assert.equal(ok.models.hubEndpoint, "https://huggingface.co");
    assert.throws(
      () => loadConfig({ HOME: "/home/u", EMBED_MODEL: "hub:no-slash" }),
      (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith("EMBED_MODEL")),
    );
  });
});
