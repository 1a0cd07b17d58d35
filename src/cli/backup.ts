/**
 * npm run backup -- create [--id ID] [--backend filesystem]   back up every class, wait for it
 * npm run backup -- restore --id ID [--backend filesystem]    restore into a store without those classes
 * npm run backup -- list [--backend filesystem]
 * Uses WEAVIATE_URL when set, else starts the embedded server on WEAVIATE_DATA_DIR (stop the
 * service first: two servers cannot share a data folder). Exits non-zero with the reason on failure.
 */
import { parseArgs } from "node:util";
import {
  BACKENDS,
  BACKUP_ID,
  createBackup,
  listBackups,
  restoreBackup,
  type BackupBackend,
} from "../store/backups.js";
import { openWeaviate } from "../store/client/weaviate-connection.js";
import { configOrFail } from "../platform/config/config-or-fail.js";

const USAGE =
  "usage: npm run backup -- create [--id ID] | restore --id ID | list   [--backend filesystem|s3|gcs|azure]";

function fail(message: string): never {
  console.error(`backup: ${message}`);
  process.exit(2);
}

let parsed: ReturnType<typeof parse>;
const parse = () =>
  parseArgs({
    allowPositionals: true,
    options: { id: { type: "string" }, backend: { type: "string", default: "filesystem" } },
  });
try {
  parsed = parse();
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`);
}
const [command, ...extra] = parsed.positionals;
if (!command || !["create", "restore", "list"].includes(command) || extra.length > 0) fail(USAGE);
const backend = parsed.values.backend as BackupBackend;
if (!BACKENDS.includes(backend)) fail(`--backend must be one of ${BACKENDS.join(", ")}`);
if (command === "restore" && !parsed.values.id)
  fail("restore needs --id (npm run backup -- list shows them)");
const id = parsed.values.id ?? `tiktok-recs-${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}`;
if (!BACKUP_ID.test(id)) fail(`--id "${id}": use lowercase letters, digits, - and _ (Weaviate's rule)`);

const { config, log } = configOrFail("backup", { fail });
const where =
  config.weaviate.url ??
  `the embedded server on ${config.weaviate.dataDir} (backups in ${config.weaviate.backupPath})`;

let weaviate;
try {
  weaviate = await openWeaviate(config.weaviate, log);
} catch (err) {
  fail(`could not open ${where}:\n${(err as Error).message}`);
}
const stop = () => weaviate.close();
process.once("SIGINT", () => void stop().then(() => process.exit(130)));
process.once("SIGTERM", () => void stop().then(() => process.exit(143)));

const onStatus = (status: string, seconds: number) =>
  console.error(`backup ${id}: ${status} (${seconds.toFixed(1)} s)`);
try {
  if (command === "list") {
    const backups = await listBackups(weaviate, backend);
    if (backups.length === 0) console.log(`no backups on the ${backend} backend of ${where}`);
    for (const b of backups) console.log(`${b.id}  ${b.status}  ${b.startedAt}`);
  } else {
    const run = command === "create" ? createBackup : restoreBackup;
    console.error(`backup ${id}: ${command} on the ${backend} backend of ${where}`);
    const done = await run(weaviate, { id, backend, onStatus });
    const verb = command === "create" ? "created" : "restored";
    console.log(
      `backup ${done.id} ${verb} in ${done.seconds.toFixed(1)} s: ${done.classes.length} classes (${done.classes.join(", ")}) at ${done.path}`,
    );
    if (command === "create") console.log(`restore it with: npm run backup -- restore --id ${done.id}`);
  }
} catch (err) {
  console.error(`backup ${command} failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await stop();
}
