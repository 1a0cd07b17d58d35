import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/** Written by writeDemoCatalogue beside users/, posts/ and comments/; ingestion never reads it. */
export const DEMO_LABELS_FILE = "labels.json";

const lang = z.enum(["en", "pt", "es", "id"]);
const labelsSchema = z.object({
  users: z.array(
    z.object({
      userId: z.string(),
      lang,
      /** One favourite topic, two for every seventh commenter. */
      topics: z.array(z.string()).min(1),
      comments: z.number().int().min(0),
    }),
  ),
  /** A video's topic and language are its creator's: every demo creator posts one topic in one language. */
  videos: z.array(z.object({ videoId: z.string(), creatorId: z.string(), topic: z.string(), lang })),
});

/** The demo catalogue's ground truth: what each video is about and what each commenter likes. */
export type DemoLabels = z.infer<typeof labelsSchema>;

export function readDemoLabels(dir: string): DemoLabels {
  return labelsSchema.parse(JSON.parse(readFileSync(join(dir, DEMO_LABELS_FILE), "utf8")));
}
