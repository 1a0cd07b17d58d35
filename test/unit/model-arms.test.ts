import assert from "node:assert/strict";
import { it } from "node:test";
import { armsServing } from "../../src/app/models-service.js";
import type { Experiment } from "../../src/domain/experiment.js";

it("names the running experiment's arms that serve the model of each kind", () => {
  const running = {
    id: "ranker-v2",
    arms: [
      { name: "control", weight: 50, settings: { ranker: "fixed" } },
      { name: "learned", weight: 40, settings: { ranker: "learned", rerank: false } },
      { name: "plain", weight: 10, settings: {} },
    ],
  } as unknown as Experiment;
  assert.deepEqual(armsServing("ranker", running), ["ranker-v2/learned", "ranker-v2/plain"]);
  assert.deepEqual(armsServing("cross-encoder", running), ["ranker-v2/control", "ranker-v2/plain"]);
  assert.deepEqual(armsServing("ranker", undefined), []);
});
