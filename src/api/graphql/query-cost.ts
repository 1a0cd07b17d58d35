import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

/**
 * What one root field costs per page of `PAGE` items, in points (GitHub's and Shopify's GraphQL
 * points, simplified to what our schema has): the recommendation pipeline (recall, rank, rerank)
 * is the dearest, a similar* page runs recall and rerank, every other root field (lookups, status,
 * admin lists, mutations) is one point. Nested fields are answered from what the root field
 * fetched (or by batched loaders) and cost nothing.
 */
export const ROOT_FIELD_POINTS: Readonly<Record<string, number>> = {
  recommendations: 10,
  similarVideos: 5,
  similarCreators: 5,
};
/** A list argument (`first`, `limit`) multiplies a field's points by its pages of this many items. */
export const PAGE = 10;
/** Our list arguments' schema default; an operation that omits one pays for this many. */
const DEFAULT_ITEMS = 10;
const LIST_ARGUMENTS = new Set(["first", "limit"]);

export interface QueryCost {
  points: number;
  /** Runs the recommendation pipeline (recommendations, similar*): the load shedder guards these. */
  expensive: boolean;
}

/**
 * The cost of running `operation` with `variables`: the sum over its root fields (fragments
 * expanded, aliases counted each time) of points x pages, where pages = ceil(first / 10), at least
 * one. `recommendations(first: 10)` is 10 points, `recommendations(first: 50)` 50, `status` 1;
 * `__typename` and introspection cost 0 and 1.
 */
export function queryCost(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): QueryCost {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  const defaults = new Map(
    (operation.variableDefinitions ?? []).map((v) => [v.variable.name.value, v.defaultValue]),
  );
  const items = (value: ValueNode | undefined): number => {
    if (!value) return DEFAULT_ITEMS;
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE) {
      const name = value.name.value;
      const given = variables[name];
      if (typeof given === "number") return given;
      return given === undefined || given === null ? items(defaults.get(name) ?? undefined) : DEFAULT_ITEMS;
    }
    return DEFAULT_ITEMS;
  };
  const cost: QueryCost = { points: 0, expensive: false };
  const walk = (set: SelectionSetNode, seen: Set<string>) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) cost.points += fieldPoints(sel, items, cost);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet, seen);
      else {
        const frag = fragments.get(sel.name.value);
        if (!frag || seen.has(frag.name.value)) continue; // cycles are graphql-js's to refuse
        walk(frag.selectionSet, new Set([...seen, frag.name.value]));
      }
    }
  };
  walk(operation.selectionSet, new Set());
  return { points: Math.max(1, cost.points), expensive: cost.expensive };
}

function fieldPoints(field: FieldNode, items: (v: ValueNode | undefined) => number, cost: QueryCost): number {
  const name = field.name.value;
  if (name === "__typename") return 0;
  const points = ROOT_FIELD_POINTS[name];
  if (points !== undefined) cost.expensive = true;
  const list = field.arguments?.find((a) => LIST_ARGUMENTS.has(a.name.value));
  const pages = list ? Math.max(1, Math.ceil(items(list.value) / PAGE)) : 1;
  return (points ?? 1) * pages;
}
