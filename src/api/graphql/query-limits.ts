import {
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from "graphql";
import { GraphQLErrorCode, graphQLError } from "../error-codes.js";

export interface QueryLimits {
  maxDepth: number;
  /** Fields selected in total, aliases and fragment spreads expanded. */
  maxFields: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxDepth: 10, maxFields: 1_000 };

/**
 * Rejects abusive documents before they run: too deep, or too many fields once aliases and
 * fragments are expanded (alias and fragment bombs). Fragment cycles are left to graphql-js's
 * own NoFragmentCycles rule; here a cycle simply stops the walk. Introspection (fields under
 * __schema/__type) does not add depth, since explorers' standard query nests ofType deeply and is
 * answered from memory; its fields still count.
 */
export function queryLimitsRule(limits: QueryLimits = DEFAULT_LIMITS) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions)
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

    const measure = (
      set: SelectionSetNode,
      depth: number,
      meta: boolean,
      visiting: Set<string>,
      budget: { fields: number; depth: number },
    ) => {
      budget.depth = Math.max(budget.depth, depth);
      for (const sel of set.selections) {
        if (budget.fields > limits.maxFields || budget.depth > limits.maxDepth) return;
        if (sel.kind === Kind.FIELD) {
          budget.fields++;
          const inMeta = meta || sel.name.value === "__schema" || sel.name.value === "__type";
          if (sel.selectionSet)
            measure(sel.selectionSet, inMeta ? depth : depth + 1, inMeta, visiting, budget);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          measure(sel.selectionSet, depth, meta, visiting, budget);
        } else {
          const frag = fragments.get(sel.name.value);
          if (!frag || visiting.has(frag.name.value)) continue;
          visiting.add(frag.name.value);
          measure(frag.selectionSet, depth, meta, visiting, budget);
          visiting.delete(frag.name.value);
        }
      }
    };

    return {
      OperationDefinition(op) {
        const budget = { fields: 0, depth: 0 };
        measure(op.selectionSet, 1, false, new Set(), budget);
        if (budget.depth > limits.maxDepth) {
          context.reportError(
            graphQLError(
              GraphQLErrorCode.QueryTooDeep,
              `query is nested deeper than ${limits.maxDepth} levels`,
              { nodes: [op] },
            ),
          );
        } else if (budget.fields > limits.maxFields) {
          context.reportError(
            graphQLError(
              GraphQLErrorCode.QueryTooComplex,
              `query selects more than ${limits.maxFields} fields (aliases and fragments expanded)`,
              { nodes: [op] },
            ),
          );
        }
      },
    };
  };
}
