/**
 * The classes an encoder generation holds: every class with a vector, in copy order (a class's
 * reference targets come before it, so references resolve and centroids average real vectors).
 * Curation and IngestRun have no vector and are shared by every generation.
 */
export const GENERATION_CLASSES = [
  "Video",
  "Comment",
  "CreatorBio",
  "UserProfile",
  "Creator",
  "UserInterest",
  "UserVideoInterest",
  "Cohort",
] as const;
export type GenerationClass = (typeof GENERATION_CLASSES)[number];

const GENERATIONAL = new Set<string>(GENERATION_CLASSES);
export const isGenerational = (name: string): name is GenerationClass => GENERATIONAL.has(name);

/**
 * Generation 1 keeps the plain class names, so every store made before generations existed is
 * generation 1 as it stands; later ones are `Video_g2`, `Video_g3`...
 */
export function generationClassName(logical: string, generation: number): string {
  return generation === 1 || !isGenerational(logical) ? logical : `${logical}_g${generation}`;
}

/** The logical -> physical class names of one generation (what a pinned handle resolves through). */
export function generationClassNames(generation: number): Readonly<Record<string, string>> {
  return Object.freeze(
    Object.fromEntries(GENERATION_CLASSES.map((c) => [c, generationClassName(c, generation)])),
  );
}

/**
 * The Weaviate alias that follows the serving generation of a class, flipped at each switch:
 * for operators and outside readers (an alias cannot share the name of a class, and generation 1
 * keeps the plain names). The service itself pins each request to one generation instead, because
 * eight aliases cannot be flipped in one atomic step.
 */
export const servingAlias = (logical: string) => `${logical}_serving`;
