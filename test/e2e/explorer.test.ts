import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser } from "playwright-core";
import { startApp, type App } from "../../src/app/start-app.js";
import { hashKey } from "../../src/platform/config/api-keys.js";
import { loadConfig } from "../../src/platform/config/config.js";
import { silentLogger } from "../../src/platform/logger.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const skip = existsSync(CHROMIUM)
  ? false
  : `needs Debian's chromium at ${CHROMIUM} (.ci/run installs it; or set CHROMIUM_PATH)`;
// Flags for a closed network: without them Chromium keeps calling home and the calls are refused.
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const ADMIN = "explorer-admin-key";

// An admin opens the explorer in a browser, with no network beyond our server, and runs a query.
describe("GraphQL explorer in headless Chromium", { skip }, () => {
  let app: App;
  let browser: Browser;
  const root = mkdtempSync(join(tmpdir(), "tiktok-recs-e2e-"));

  before(async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: "0",
      WEAVIATE_DATA_DIR: join(root, "weaviate"),
      API_KEYS: `ops:admin:${hashKey(ADMIN)}`,
    };
    delete env.WEAVIATE_URL;
    [app, browser] = await Promise.all([
      startApp(loadConfig(env), silentLogger),
      chromium.launch({ executablePath: CHROMIUM, args: FLAGS }),
    ]);
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("loads from our server only, and runs the recommendations query with a key", async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    const foreign: string[] = [];
    const origin = new URL(app.server.url).origin;
    page.on("request", (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith("data:") && !r.url().startsWith("blob:"))
        foreign.push(r.url());
    });
    await page.goto(app.server.url, { waitUntil: "networkidle" });

    await page.locator('a[aria-label="Set Headers"]').click();
    await page
      .locator(".cm-content", { has: page.locator(".cm-placeholder", { hasText: "Header value" }) })
      .first()
      .click();
    await page.keyboard.type(ADMIN);
    await page.getByRole("button", { name: "Done" }).click();

    await page.locator(".variables-editor--title").click();
    await page.locator(".variables-editor .cm-content").click();
    await page.keyboard.press("Control+A");
    await page.keyboard.type('{"userId": "demo-user-skater-pt", "first": 3');

    await page.getByRole("button", { name: "Send Request" }).click();
    await page.waitForFunction(
      () => document.body.innerText.includes('"__typename": "RecommendationPage"'),
      undefined,
      { timeout: 30_000 },
    );
    const text = await page.evaluate(() => document.body.innerText);
    assert.match(text, /"recalled": \d+/);
    assert.match(text, /"videoId": "\d+"/);
    assert.deepEqual(foreign, [], "the explorer reached outside our server");
  });
});
