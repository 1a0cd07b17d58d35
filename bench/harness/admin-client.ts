/** GraphQL calls with an admin key for the benches that drive admin mutations; errors throw with the server's words. */
export interface AdminClient {
  // Answers are untyped JSON: each caller knows its own operation's shape.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  call(operation: string, variables?: Record<string, unknown>): Promise<any>;
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

export function adminClient(url: string, key: string, timeoutMs = 600_000): AdminClient {
  const call = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": key },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await res.json()) as { data?: unknown; errors?: { message?: string }[] };
    if (!res.ok || body.errors)
      throw new Error(`HTTP ${res.status}: ${body.errors?.map((e) => e.message).join("; ") ?? "no data"}`);
    return body.data;
  };
  return { call };
}

/** Polls `done` every `everyMs` until it says true; what it throws ends the wait. */
export async function waitFor(done: () => Promise<boolean>, everyMs: number): Promise<void> {
  while (!(await done())) await new Promise((r) => setTimeout(r, everyMs));
}
