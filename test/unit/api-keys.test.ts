import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { authenticate, presentedKey } from "../../src/api/auth/api-keys.js";
import { hashKey, parseApiKeys } from "../../src/platform/config/api-keys.js";

describe("API keys", () => {
  const entries = parseApiKeys(
    `ana:partner:${hashKey("k-partner")}, ops:admin:${hashKey("k-admin")}`,
  ).entries;
  const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] });

  it("finds the caller and role for a valid key, from x-api-key or a bearer token", () => {
    assert.deepEqual(authenticate(entries, presentedKey(headers({ "x-api-key": "k-partner" }))), {
      name: "ana",
      role: "partner",
    });
    assert.deepEqual(authenticate(entries, presentedKey(headers({ authorization: "Bearer k-admin" }))), {
      name: "ops",
      role: "admin",
    });
  });

  it("refuses a missing or wrong key with UNAUTHENTICATED and HTTP 401", () => {
    for (const key of [undefined, "", "nope", "k-partnerX", "K-PARTNER"]) {
      assert.throws(
        () => authenticate(entries, key),
        (err: any) => {
          assert.equal(err.extensions.code, "UNAUTHENTICATED");
          assert.equal(err.extensions.http.status, 401);
          return true;
        },
      );
    }
  });

  it("stores only hashes and reports malformed entries", () => {
    assert.ok(entries.every((e) => /^[0-9a-f]{64}$/.test(e.sha256)));
    const { problems } = parseApiKeys("a:root:abc,b:partner:xyz");
    assert.equal(problems.length, 2);
  });
});
