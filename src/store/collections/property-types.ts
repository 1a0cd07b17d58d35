import type { CrossReference, DataType } from "weaviate-client";

/**
 * A class's properties as its weaviate/classes/*.json names their data types: the run-time
 * description each props type keeps beside it (interfaces vanish at run time), which
 * test/unit/collection-props.test.ts compares with the JSON. `satisfies PropertyTypes<XProps>`
 * ties the description to the type: every property of the type, no other, each with a data type
 * weaviate-client maps that TypeScript type to (its own `DataType`: string -> "text", number ->
 * "int" or "number", Date -> "date", string[] -> "text[]", boolean -> "boolean").
 *
 * A cross-reference's entry is its target class. Without `Classes` any class name passes (a props
 * file cannot know the others without an import cycle); the registry, which knows every class,
 * passes them in and so checks the name is the class whose props the reference carries.
 */
export type PropertyTypes<P, Classes = never> = {
  [K in keyof P]-?: PropertyType<Exclude<P[K], undefined>, Classes>;
};

type PropertyType<F, Classes> = F extends CrossReference<infer T> ? ClassNamed<T, Classes> : DataType<F>;

type ClassNamed<T, Classes> = [Classes] extends [never]
  ? string
  : {
      [N in keyof Classes]: [T] extends [Classes[N]] ? ([Classes[N]] extends [T] ? N : never) : never;
    }[keyof Classes];
