import { postGraphQL } from "./load-driver.js";

export type GraphQLReportTiming =
  { available: true; ms: number[]; median: number; errors: string[] } | { available: false; reason: string };

/**
 * Times the admin query experimentReport three times, when the schema has it: its fields are read
 * by introspection, so the bench asks for every scalar at the top (the server computes the whole
 * report whatever is selected).
 */
export async function timeGraphQLReport(
  url: string,
  headers: Record<string, string>,
  id: string,
): Promise<GraphQLReportTiming> {
  let field: { args: { name: string }[]; type: unknown } | undefined;
  await postGraphQL(
    url,
    { query: "{ __schema { queryType { fields { name args { name } } } } }", variables: {} },
    (data) => {
      field = data.__schema?.queryType?.fields?.find((f: { name: string }) => f.name === "experimentReport");
      return {};
    },
    { headers },
  );
  if (!field) return { available: false, reason: "not in this build's schema (Query.experimentReport)" };
  const arg = field.args[0]?.name ?? "id";
  const query = `query R($id: ID!) { experimentReport(${arg}: $id) { __typename } }`;
  const ms: number[] = [];
  const errors: string[] = [];
  for (let r = 0; r < 3; r++) {
    const s = await postGraphQL(url, { query, variables: { id } }, () => ({}), {
      headers,
      timeoutMs: 120_000,
    });
    ms.push(s.ms);
    if (!s.ok) errors.push(s.error ?? "failed");
  }
  return { available: true, ms, median: [...ms].sort((a, b) => a - b)[1]!, errors };
}
