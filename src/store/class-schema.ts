import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { WeaviateClient } from "weaviate-client";
import { REPO_ROOT } from "../platform/paths.js";
import type { Logger } from "../platform/logger.js";
import type { WeaviateHandle } from "./weaviate-handle.js";
import { ErrorCode, ServiceError } from "../platform/errors.js";

/** A class definition in Weaviate's own JSON schema format, as kept in weaviate/classes/. */
export interface ClassDefinition {
  class: string;
  vectorizer: string;
  moduleConfig?: Record<string, { referenceProperties?: string[] } & Record<string, unknown>>;
  properties: ClassProperty[];
  [key: string]: unknown;
}

/** A class as `collections.createFromSchema` takes it (weaviate-client does not export the type by name). */
type WeaviateClass = Parameters<WeaviateClient["collections"]["createFromSchema"]>[0];

/** A property as the client creates it (tokenization one of Weaviate's), with its name and type always given. */
export type ClassProperty = NonNullable<WeaviateClass["properties"]>[number] & {
  name: string;
  dataType: string[];
};

/** Thrown when the live schema differs from weaviate/classes/: nothing is changed. */
export class SchemaMismatchError extends ServiceError {
  constructor(readonly problems: string[]) {
    super(
      ErrorCode.SchemaMismatch,
      `The Weaviate schema differs from weaviate/classes/ and was left untouched:\n${problems.map((p) => `  - ${p}`).join("\n")}\n` +
        "Point WEAVIATE_DATA_DIR (or WEAVIATE_URL) at a fresh store, or migrate the existing classes by hand.",
    );
  }
}

export function loadClassDefinitions(dir = join(REPO_ROOT, "weaviate", "classes")): ClassDefinition[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as ClassDefinition);
}

/** Classes whose references point only at classes created before them come first. */
export function creationOrder(defs: ClassDefinition[]): ClassDefinition[] {
  const names = new Set(defs.map((d) => d.class));
  const ordered: ClassDefinition[] = [];
  const placed = new Set<string>();
  while (ordered.length < defs.length) {
    const next = defs.find(
      (d) =>
        !placed.has(d.class) && refTargets(d).every((t) => placed.has(t) || t === d.class || !names.has(t)),
    );
    if (!next) throw new Error("weaviate/classes: circular references between classes");
    ordered.push(next);
    placed.add(next.class);
  }
  return ordered;
}

/** Weaviate names a cross-reference's target class as its data type, capitalised like classes are. */
export const referenceProperties = (d: ClassDefinition) =>
  d.properties.filter((p) => /^[A-Z]/.test(p.dataType[0] ?? ""));
const refTargets = (d: ClassDefinition) => referenceProperties(d).map((p) => p.dataType[0]!);

/**
 * Creates missing classes and verifies existing ones. A property the definition added since the
 * store was made is added (existing objects simply have no value for it); any other difference is
 * reported, never altered: changing a live schema can drop or re-index data.
 * Every class gets the handle's replication factor (WEAVIATE_REPLICATION_FACTOR).
 */
export async function applySchema(
  handle: WeaviateHandle,
  log: Logger,
  defs = loadClassDefinitions(),
): Promise<void> {
  const problems: string[] = [];
  const named = defs.map((d) => renamedClasses(d, handle.classNames));
  for (const def of creationOrder(named).map((d) => withReplication(d, handle.replication.factor))) {
    const existing = await fetchClass(handle, def.class);
    if (!existing) {
      await handle.client.collections.createFromSchema(def);
      log.info("created weaviate class", { class: def.class, replicationFactor: handle.replication.factor });
      continue;
    }
    const found = compareClass(def, existing);
    const other = found.filter((p) => !p.endsWith(": missing"));
    if (other.length > 0) {
      problems.push(...found);
      continue;
    }
    const have = new Set((existing.properties ?? []).map((p) => p.name));
    for (const prop of def.properties.filter((p) => !have.has(p.name))) {
      await addProperty(handle, def.class, prop);
      log.info("added weaviate property", { class: def.class, property: prop.name });
    }
  }
  if (problems.length > 0) throw new SchemaMismatchError(problems);
}

async function addProperty(handle: WeaviateHandle, className: string, prop: ClassProperty): Promise<void> {
  const res = await fetch(`${handle.restUrl}/v1/schema/${className}/properties`, {
    method: "POST",
    headers: { ...handle.headers, "content-type": "application/json" },
    body: JSON.stringify(prop),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok)
    throw new Error(
      `adding ${className}.${prop.name}: POST /v1/schema answered ${res.status}: ${await res.text()}`,
    );
}

/**
 * The definition under the physical class names of an encoder generation (src/store/generations/):
 * its own name and the targets of its references; unchanged without a rename.
 */
export function renamedClasses(
  def: ClassDefinition,
  names?: Readonly<Record<string, string>>,
): ClassDefinition {
  if (!names) return def;
  const to = (n: string) => names[n] ?? n;
  return {
    ...def,
    class: to(def.class),
    properties: def.properties.map((p) =>
      /^[A-Z]/.test(p.dataType[0] ?? "") ? { ...p, dataType: p.dataType.map(to) } : p,
    ),
  };
}

/**
 * The definition with `factor` replicas. With more than one, async replication repairs a replica
 * that missed writes while it was down (reads at ONE may otherwise miss them for good), and a
 * delete racing an update on another replica resolves to whichever happened last.
 */
export function withReplication(def: ClassDefinition, factor: number): ClassDefinition {
  const replicated = factor > 1 ? { asyncEnabled: true, deletionStrategy: "TimeBasedResolution" } : {};
  return {
    ...def,
    replicationConfig: { ...(def.replicationConfig as object | undefined), factor, ...replicated },
  };
}

export async function fetchClass(handle: WeaviateHandle, name: string): Promise<ClassDefinition | undefined> {
  const res = await fetch(`${handle.restUrl}/v1/schema/${name}`, {
    headers: handle.headers,
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET /v1/schema/${name} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as ClassDefinition;
}

/** What of a live class would break our reads and writes; extra server-side defaults are fine. */
export function compareClass(want: ClassDefinition, have: ClassDefinition): string[] {
  const problems: string[] = [];
  const at = want.class;
  if (want.vectorizer !== have.vectorizer)
    problems.push(`${at}: vectorizer is "${have.vectorizer}", expected "${want.vectorizer}"`);
  const wantRefs = want.moduleConfig?.["ref2vec-centroid"]?.referenceProperties;
  const haveRefs = have.moduleConfig?.["ref2vec-centroid"]?.referenceProperties;
  if (wantRefs && JSON.stringify([...wantRefs].sort()) !== JSON.stringify([...(haveRefs ?? [])].sort())) {
    problems.push(`${at}: ref2vec-centroid averages [${haveRefs ?? []}], expected [${wantRefs}]`);
  }
  const wantFactor = (want.replicationConfig as { factor?: number } | undefined)?.factor;
  const haveFactor = (have.replicationConfig as { factor?: number } | undefined)?.factor ?? 1;
  if (wantFactor !== undefined && wantFactor !== haveFactor)
    problems.push(
      `${at}: replication factor is ${haveFactor}, expected ${wantFactor} (WEAVIATE_REPLICATION_FACTOR)`,
    );
  const haveProps = new Map((have.properties ?? []).map((p) => [p.name, p]));
  for (const prop of want.properties) {
    const live = haveProps.get(prop.name);
    if (!live) {
      problems.push(`${at}.${prop.name}: missing`);
      continue;
    }
    if (live.dataType.join() !== prop.dataType.join()) {
      problems.push(`${at}.${prop.name}: type ${live.dataType.join()}, expected ${prop.dataType.join()}`);
    } else if (prop.tokenization && live.tokenization !== prop.tokenization) {
      problems.push(`${at}.${prop.name}: tokenization ${live.tokenization}, expected ${prop.tokenization}`);
    }
    haveProps.delete(prop.name);
  }
  for (const extra of haveProps.keys()) problems.push(`${at}.${extra}: not in weaviate/classes/${at}.json`);
  return problems;
}
