import pg from "pg";

/** Polls until the server takes a connection, it exits, or `timeoutMs` passes. */
export async function waitReady(
  url: string,
  exited: Promise<number | null>,
  timeoutMs: number,
  explain: () => string,
): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (gone !== undefined)
      throw new Error(`postgres exited with code ${gone} before it was ready. ${explain()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on("error", () => {}); // a server going down mid-probe must not become an uncaught error
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (err) {
      last = (err as Error).message; // not listening yet, or "the database system is starting up"
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`postgres was not ready after ${Math.round(timeoutMs / 1000)} s (${last}). ${explain()}`);
}
