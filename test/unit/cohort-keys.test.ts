import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cohortKeys, normaliseInterest } from "../../src/domain/cohort-keys.js";

describe("cohort keys", () => {
  it("finest first: country + app major + first interest, country + app major, country", () => {
    assert.deepEqual(cohortKeys({ country: "de", appVersion: "31.4.2", interests: ["Cooking", "dance"] }), [
      { key: "DE|31|cooking", level: "interest" },
      { key: "DE|31", level: "app" },
      { key: "DE", level: "country" },
    ]);
  });

  it("normalises: country trimmed and upper-cased, a 'v' prefix dropped, the interest trimmed, lower-cased, spaces collapsed", () => {
    assert.deepEqual(
      cohortKeys({ country: "  us ", appVersion: " V7.0", interests: ["  Street \t Food  "] }).map(
        (k) => k.key,
      ),
      ["US|7|street food", "US|7", "US"],
    );
  });

  it("the first interest that is not blank is the one used", () => {
    assert.deepEqual(
      cohortKeys({ country: "FR", appVersion: "2", interests: ["   ", "", "Gaming", "Art"] })[0],
      { key: "FR|2|gaming", level: "interest" },
    );
  });

  it("no interests (or only blank ones): the app and country keys", () => {
    assert.deepEqual(
      cohortKeys({ country: "FR", appVersion: "2.1", interests: [] }).map((k) => k.key),
      ["FR|2", "FR"],
    );
    assert.deepEqual(
      cohortKeys({ country: "FR", appVersion: "2.1", interests: [" "] }).map((k) => k.key),
      ["FR|2", "FR"],
    );
    assert.deepEqual(
      cohortKeys({ country: "FR", appVersion: "2.1" }).map((k) => k.key),
      ["FR|2", "FR"],
    );
  });

  it("no usable app version: the country alone, even with interests", () => {
    assert.deepEqual(cohortKeys({ country: "jp", interests: ["anime"] }), [{ key: "JP", level: "country" }]);
    assert.deepEqual(cohortKeys({ country: "jp", appVersion: "beta-3", interests: ["anime"] }), [
      { key: "JP", level: "country" },
    ]);
    assert.deepEqual(cohortKeys({ country: "jp", appVersion: "", interests: ["anime"] }), [
      { key: "JP", level: "country" },
    ]);
  });

  it("no country (missing, empty or blank), or empty input: no keys", () => {
    assert.deepEqual(cohortKeys({}), []);
    assert.deepEqual(cohortKeys({ appVersion: "3", interests: ["x"] }), []);
    assert.deepEqual(cohortKeys({ country: "", appVersion: "3" }), []);
    assert.deepEqual(cohortKeys({ country: "   ", appVersion: "3" }), []);
  });

  it("normaliseInterest", () => {
    assert.equal(normaliseInterest("  Home\n\nDecor  Ideas "), "home decor ideas");
    assert.equal(normaliseInterest("   "), "");
  });
});
