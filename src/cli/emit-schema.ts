/** npm run schema:emit: writes schema/schema.graphql; a test fails when the committed file drifts. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../platform/paths.js";
import { printGraphQLSchema } from "../api/graphql/print-schema.js";

const target = join(REPO_ROOT, "schema", "schema.graphql");
writeFileSync(target, await printGraphQLSchema());
console.log(`wrote ${target}`);
