// A rebuild in a process of its own, for the resume test to SIGKILL midway: it connects to the
// test's Weaviate as an external one and keeps the generation record in GEN_RECORD_DIR.
import { loadConfig } from "../../src/platform/config/config.js";
import { silentLogger } from "../../src/platform/logger.js";
import { openWeaviate } from "../../src/store/client/weaviate-connection.js";
import { L3_NAME } from "../../src/embed/paraphrase-l3-files.js";
import { refreshCohorts } from "../../src/recommend/query/cohort-refresh.js";
import { openEncoderGenerations } from "../../src/app/encoder-generations-service.js";
import { testEncoder } from "./encoder.js";

const weaviate = await openWeaviate(loadConfig().weaviate, silentLogger);
const l3 = await testEncoder(L3_NAME);
const generations = await openEncoderGenerations({
  weaviate,
  recordDir: process.env.GEN_RECORD_DIR!,
  configured: l3,
  makeEncoder: (choice) => testEncoder(choice),
  refreshCohorts: async (h) => void (await refreshCohorts(h, 3, silentLogger)),
  graceHours: 1,
  pageSize: Number(process.env.GEN_PAGE_SIZE ?? 20),
  log: silentLogger,
});
console.log("rebuild running");
await generations.idle();
console.log("rebuild finished");
process.exit(0);
