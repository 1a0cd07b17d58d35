/**
 * npm run apikey -- --name <who> --role partner|admin
 * Makes a new random API key, prints it once, and prints the hashed entry to append to API_KEYS.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { hashKey } from "../platform/config/api-keys.js";

const { values } = parseArgs({
  options: { name: { type: "string" }, role: { type: "string", default: "partner" } },
});
if (!values.name || !/^[\w.-]+$/.test(values.name) || !["partner", "admin"].includes(values.role!)) {
  console.error("usage: npm run apikey -- --name <letters, digits, . _ -> --role partner|admin");
  process.exit(2);
}
const key = `trk_${randomBytes(24).toString("base64url")}`;
console.log(`key (give it to ${values.name}; it is not stored anywhere): ${key}`);
console.log(`API_KEYS entry: ${values.name}:${values.role}:${hashKey(key)}`);
