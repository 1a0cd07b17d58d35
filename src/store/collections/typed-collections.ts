import type { Collection, WeaviateClient } from "weaviate-client";
import { COHORT_PROPERTIES, type CohortProps } from "./cohort.props.js";
import { COMMENT_PROPERTIES, type CommentProps } from "./comment.props.js";
import { CREATOR_BIO_PROPERTIES, type CreatorBioProps } from "./creator-bio.props.js";
import { CREATOR_PROPERTIES, type CreatorProps } from "./creator.props.js";
import { CURATION_PROPERTIES, type CurationProps } from "./curation.props.js";
import { INGEST_RUN_PROPERTIES, type IngestRunProps } from "./ingest-run.props.js";
import type { PropertyTypes } from "./property-types.js";
import { USER_INTEREST_PROPERTIES, type UserInterestProps } from "./user-interest.props.js";
import { USER_PROFILE_PROPERTIES, type UserProfileProps } from "./user-profile.props.js";
import { USER_VIDEO_INTEREST_PROPERTIES, type UserVideoInterestProps } from "./user-video-interest.props.js";
import { VIDEO_PROPERTIES, type VideoProps } from "./video.props.js";

/** The properties of each class in weaviate/classes/, by class name. */
export type ClassProps = {
  Cohort: CohortProps;
  Comment: CommentProps;
  Creator: CreatorProps;
  CreatorBio: CreatorBioProps;
  Curation: CurationProps;
  IngestRun: IngestRunProps;
  UserInterest: UserInterestProps;
  UserProfile: UserProfileProps;
  UserVideoInterest: UserVideoInterestProps;
  Video: VideoProps;
};

export type ClassName = keyof ClassProps;

/**
 * Every class's property data types, as its JSON names them (test/unit/collection-props.test.ts
 * compares them); here a cross-reference must name the class its props type points at.
 */
export const CLASS_PROPERTIES = {
  Cohort: COHORT_PROPERTIES,
  Comment: COMMENT_PROPERTIES,
  Creator: CREATOR_PROPERTIES,
  CreatorBio: CREATOR_BIO_PROPERTIES,
  Curation: CURATION_PROPERTIES,
  IngestRun: INGEST_RUN_PROPERTIES,
  UserInterest: USER_INTEREST_PROPERTIES,
  UserProfile: USER_PROFILE_PROPERTIES,
  UserVideoInterest: USER_VIDEO_INTEREST_PROPERTIES,
  Video: VIDEO_PROPERTIES,
} as const satisfies { [N in ClassName]: PropertyTypes<ClassProps[N], ClassProps> };

/**
 * A class's collection, typed by its props: property names in filters, sorts, returned
 * properties, references and writes are checked against weaviate/classes/. Goes through
 * `client.collections.get`, so the consistency and counting proxies still wrap it.
 */
export function collection<N extends ClassName>(
  handle: { client: WeaviateClient; classNames?: Readonly<Record<string, string>> },
  name: N,
): Collection<ClassProps[N], N> {
  return handle.client.collections.get<ClassProps[N], N>(physicalName(handle, name) as N);
}

/** The class a logical name is stored in for this handle's encoder generation (plain name: generation 1). */
export const physicalName = (handle: { classNames?: Readonly<Record<string, string>> }, name: string) =>
  handle.classNames?.[name] ?? name;

export function isClassName(name: string): name is ClassName {
  return Object.hasOwn(CLASS_PROPERTIES, name);
}

/** Our classes that have every one of the properties `K`. */
export type ClassWith<K extends string> = {
  [N in ClassName]: [K] extends [keyof ClassProps[N]] ? N : never;
}[ClassName];

function hasProperties<K extends string>(name: ClassName, props: readonly K[]): name is ClassWith<K> {
  return props.every((p) => Object.hasOwn(CLASS_PROPERTIES[name], p));
}

/**
 * A class name known only at run time, checked to be one of ours with these properties, for
 * `collection()`: its collection is then typed by what those classes have in common.
 */
export function classWith<K extends string = never>(name: string, ...props: K[]): ClassWith<K> {
  if (!isClassName(name)) throw new Error(`${name} is not a class of weaviate/classes/`);
  if (!hasProperties(name, props))
    throw new Error(
      `${name} (weaviate/classes/${name}.json) lacks ${props.filter((p) => !Object.hasOwn(CLASS_PROPERTIES[name], p)).join(", ")}`,
    );
  return name;
}

/** A class name known only at run time, checked to be one of ours. */
export const ourClass = (name: string): ClassName => classWith(name);
