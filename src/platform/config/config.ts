import { dirname, isAbsolute, join } from "node:path";
import cron from "node-cron";
import { z } from "zod";
import { parseApiKeys, type ApiKeyEntry } from "./api-keys.js";
import { REPO_ROOT, defaultCacheDir } from "../paths.js";
import { ErrorCode, ServiceError } from "../errors.js";

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z.string().trim().min(1).optional();
const list = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
const validCron = (expr: string) => expr === "off" || cron.validate(expr);
const consistency = z.enum(["ONE", "QUORUM", "ALL"]);
/** A comma-separated list of URLs of one protocol family (one per Weaviate node). */
const urlList = (protocol: RegExp) =>
  z
    .string()
    .transform(list)
    .pipe(z.array(z.url({ protocol })).min(1, "at least one URL"));
const inRepo = (path: string) => (isAbsolute(path) ? path : join(REPO_ROOT, path));

/** Every setting the service reads from the environment; the README's table mirrors this. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port.default(4000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  ROLE: z.enum(["all", "api", "worker"]).default("all"),
  WEAVIATE_URL: urlList(/^https?$/).optional(),
  WEAVIATE_GRPC_URL: urlList(/^(grpcs?|https?)$/).optional(),
  WEAVIATE_FAILOVER_WINDOW_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  WEAVIATE_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).max(10_000).default(250),
  WEAVIATE_API_KEY: optionalText,
  WEAVIATE_BIN: optionalText,
  WEAVIATE_DATA_DIR: z.string().min(1).default(".data/weaviate"),
  BACKUP_FILESYSTEM_PATH: optionalText,
  WEAVIATE_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(100).default(1),
  WEAVIATE_READ_CONSISTENCY: consistency.default("QUORUM"),
  WEAVIATE_WRITE_CONSISTENCY: consistency.default("QUORUM"),
  CACHE_DIR: optionalText,
  MODELS_DIR: z.string().min(1).default("models"),
  // auto/q8/fp32: all-MiniLM-L6-v2's variants; a name picks that model; minilm-finetuned is
  // what npm run train:encoder writes under MODELS_DIR; hub:<org>/<name> any 384-d
  // sentence-transformers model with an ONNX export (src/embed/encoder-choice.ts).
  EMBED_MODEL: z
    .union([
      z.enum(["auto", "q8", "fp32", "all-MiniLM-L6-v2", "paraphrase-MiniLM-L3-v2", "minilm-finetuned"]),
      z.custom<`hub:${string}`>((v) => typeof v === "string" && /^hub:[\w.-]+\/[\w.-]+$/.test(v), {
        message: "hub:<org>/<name>, e.g. hub:sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2",
      }),
    ])
    .default("auto"),
  // Where hub: models download from (the hub's own variable; a mirror's URL works too).
  HF_ENDPOINT: z.url({ protocol: /^https?$/ }).default("https://huggingface.co"),
  EMBED_BATCH_SIZE: z.coerce.number().int().min(1).max(1024).default(32),
  EMBED_BATCH_TOKENS: z.coerce.number().int().min(16).max(1_000_000).default(1024),
  EMBED_THREADS: z.coerce.number().int().min(0).max(256).default(0),
  ONNX_PROVIDER: z.enum(["auto", "cpu", "cuda"]).default("auto"),
  TIKLIVE_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  TIKLIVE_API_KEY: optionalText,
  TIKLIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  TIKLIVE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  TIKLIVE_REQUEST_BUDGET: z.coerce.number().int().min(1).default(5_000),
  INGEST_CREATORS: z.string().default("").transform(list),
  INGEST_POSTS_PER_CREATOR: z.coerce.number().int().min(1).max(1000).default(30),
  INGEST_COMMENTS_PER_VIDEO: z.coerce.number().int().min(1).max(5000).default(100),
  INGEST_SCHEDULE_POSTS: z.string().default("0 * * * *").refine(validCron, "not a valid cron expression"),
  INGEST_SCHEDULE_COMMENTS: z
    .string()
    .default("30 */6 * * *")
    .refine(validCron, "not a valid cron expression"),
  DEMO_CATALOGUE: z.enum(["auto", "off"]).default("auto"),
  API_KEYS: z.string().default(""),
  RECOMMEND_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  RERANK_MODEL: z.string().trim().min(1).default("cross-encoder/ms-marco-MiniLM-L-6-v2"),
  RERANK_BUDGET_MS: z.coerce.number().int().min(0).max(10_000).default(50),
  RERANK_MAX_TOKENS: z.coerce.number().int().min(8).max(512).default(64),
  RERANK_BATCH_PAIRS: z.coerce.number().int().min(1).max(512).default(16),
  RERANK_CACHE_PAIRS: z.coerce.number().int().min(0).max(100_000_000).default(200_000),
  RERANK_CACHE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .default(3600),
  RERANK_THREADS: z.coerce.number().int().min(0).max(256).default(1),
  RERANK_WEIGHT: z.coerce.number().min(0).max(1).default(0.2),
  RANKER_MODEL: z.string().trim().min(1).default("models/ranker/model.onnx"),
  MODEL_REGISTRY_DIR: z.string().trim().min(1).optional(),
  RANKER_TRAINING_SCHEDULE: z.string().default("23 4 * * 0").refine(validCron, "not a valid cron expression"),
  RANKER_TRAINING_MIN_USERS: z.coerce.number().int().min(2).max(10_000_000).default(100),
  RANKER_PROMOTION_MARGIN: z.coerce.number().min(-0.5).max(0.5).default(0.005),
  ENCODER_GENERATION_GRACE_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 90)
    .default(24),
  ENCODER_GENERATION_PAGE_SIZE: z.coerce.number().int().min(1).max(5_000).default(200),
  COLD_START_MIN_COMMENTS: z.coerce.number().int().min(1).max(100).default(3),
  COHORT_MIN_MEMBERS: z.coerce.number().int().min(1).max(10_000).default(3),
  COHORT_REFRESH_SCHEDULE: z
    .string()
    .default("*/15 * * * *")
    .refine(validCron, "not a valid cron expression"),
  EVENTS_DATABASE_URL: z.union([z.literal("off"), z.url({ protocol: /^postgres(ql)?$/ })]).optional(),
  EVENTS_DATA_DIR: optionalText,
  EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  EVENTS_RETENTION_SCHEDULE: z
    .string()
    .default("17 3 * * *")
    .refine(validCron, "not a valid cron expression"),
  EVENTS_BATCH_MAX: z.coerce.number().int().min(1).max(5000).default(500),
  EXPERIMENTS_FILE: optionalText,
  EXPERIMENTS_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  FEEDBACK_IGNORED_AFTER: z.coerce.number().int().min(1).max(1000).default(3),
  // Fair use and overload (api/http/admission.ts): budgets are "points per second/burst points", or off.
  RATE_LIMIT_PARTNER: pointsBudget("100/300"),
  RATE_LIMIT_ADMIN: pointsBudget("off"),
  RATE_LIMIT_ANONYMOUS: pointsBudget("20/60"),
  QUERY_MAX_COST: z.coerce.number().int().min(0).max(100_000).default(200),
  ADMISSION_MAX_CONCURRENCY: z.coerce.number().int().min(0).max(10_000).default(64),
  ADMISSION_MIN_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(8),
  ADMISSION_INITIAL_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(16),
  ADMISSION_TARGET_MS: z.coerce.number().int().min(1).max(60_000).default(250),
  ADMISSION_QUEUE_MS: z.coerce.number().int().min(0).max(60_000).default(100),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env["NODE_ENV"];
  /** all: one process does everything; api: serves only; worker: runs the scheduled jobs (and serves admins). */
  role: Env["ROLE"];
  http: { host: string; port: number };
  /** Hashed API keys; empty means anonymous read-only access (refused in production). */
  apiKeys: ApiKeyEntry[];
  /** How long identical recommendation requests are answered from cache; 0 turns it off. */
  recommendCacheSeconds: number;
  logLevel: Env["LOG_LEVEL"];
  weaviate: {
    /** Set when connecting to an existing server or cluster; unset means embedded. The first node's. */
    url?: string;
    grpcUrl?: string;
    /** Every node's addresses, in WEAVIATE_URL's order: reads move to a live one when theirs dies. */
    nodes: { url: string; grpcUrl?: string }[];
    /** How long a read keeps trying other nodes before it fails, and the pause between tries. */
    failover: { windowMs: number; backoffMs: number };
    apiKey?: string;
    binary?: string;
    dataDir: string;
    /** Where the embedded server's backup-filesystem module writes backups (default: weaviate-backups beside the data folder). */
    backupPath: string;
    cacheDir: string;
    /** Replicas of every class created by applySchema, and the consistency of every read and write. */
    replication: {
      factor: number;
      read: Env["WEAVIATE_READ_CONSISTENCY"];
      write: Env["WEAVIATE_WRITE_CONSISTENCY"];
    };
  };
  models: {
    dir: string;
    variant: Env["EMBED_MODEL"];
    batchSize: number;
    /** Most padded tokens per ONNX run. */
    batchTokens: number;
    /** 0 lets onnxruntime pick (one per physical core). */
    threads: number;
    provider: Env["ONNX_PROVIDER"];
    /** HF_ENDPOINT: where hub: encoders download from. */
    hubEndpoint: string;
  };
  rerank: {
    /** "off", a local .onnx cross-encoder, or a hub id provisioned under MODELS_DIR. */
    model: string;
    /** Milliseconds a request may spend reranking, queueing included; the head is what fits. */
    budgetMs: number;
    maxTokens: number;
    batchPairs: number;
    /** Intra-op threads of the cross-encoder session; 0 lets onnxruntime choose. */
    threads: number;
    /** The cross-encoder's share of the head's fused order (0 = ranker only, 1 = cross-encoder only). */
    weight: number;
    /** Scores kept for later requests, in (query, video) pairs; 0 turns the cache off. */
    cachePairs: number;
    /** How long a kept score lives, in seconds. */
    cacheSeconds: number;
  };
  /** The learned ranker (`npm run train:ranker`): a path, or "off"; a missing file means the fixed blend. */
  rankerModel: string;
  /** The model registry (manifests, files, active.json); default <MODELS_DIR>/registry. */
  modelRegistryDir: string;
  /** Training the ranker from the live store (docs/ranking-and-training.md#training-from-the-live-store). */
  rankerTraining: {
    /** node-cron expression for a run on the worker, or "off". */
    schedule: string;
    /** Users with a past and a held-out future needed before a run trains. */
    minUsers: number;
    /** How much lower a candidate's mean per-user AUC may be than serving's, per negative kind. */
    margin: number;
  };
  /** Encoder generations (docs/encoder.md#encoder-generations): how long a retired one is kept, objects per copied page. */
  encoderGenerations: { graceHours: number; pageSize: number };
  coldStart: {
    /** Below this many comments a user's own signal is blended with their cohort's. */
    minComments: number;
    /** A cohort serves only with at least this many engaged members. */
    minMembers: number;
    /** node-cron expression for recomputing cohort vectors, or "off". */
    refreshSchedule: string;
  };
  tiklive?: {
    baseUrl: string;
    apiKey: string;
    timeoutMs: number;
    concurrency: number;
    requestBudget: number;
  };
  /** The event store and what reads it: experiments and the click feedback. */
  events: {
    /** "off": no event store (pages carry no servedId, events are refused); undefined: embedded. */
    url?: string | "off";
    dataDir: string;
    retentionDays: number;
    /** node-cron expression for deleting events past retention, or "off". */
    retentionSchedule: string;
    /** Most events one recordEvents call takes; the rest of a longer batch is refused. */
    batchMax: number;
    /** Experiments defined in a JSON file (an array of definitions); undefined: admin-defined only. */
    experimentsFile?: string;
    /** How often a replica re-reads the running experiment (another replica's admin may change it). */
    experimentsRefreshSeconds: number;
    /** Videos shown this many times without a click are pushed down. */
    ignoredAfter: number;
  };
  ingest: {
    creators: string[];
    postsPerCreator: number;
    commentsPerVideo: number;
    /** node-cron expressions, or "off". */
    schedulePosts: string;
    scheduleComments: string;
    /** "auto": ingest the generated demo catalogue at start when the store is empty. */
    demoCatalogue: "auto" | "off";
  };
  /** Fair use and overload protection (docs/fair-use.md). */
  admission: {
    /** Points per second and burst per API key, by role; undefined: no budget. */
    rateLimits: Record<"partner" | "admin" | "anonymous", { rate: number; burst: number } | undefined>;
    /** Most points one operation may cost; 0: no limit. */
    maxQueryCost: number;
    /** The adaptive limit on expensive operations in flight; undefined: never shed. */
    concurrency?: { initial: number; min: number; max: number; targetMs: number; queueMs: number };
    /** No API keys are configured: every caller is anonymous and has the anonymous budget. */
    anonymousCallers: boolean;
  };
}

/** Thrown when the environment does not parse; `problems` lists every one of them. */
export class ConfigError extends ServiceError {
  constructor(readonly problems: string[]) {
    super(ErrorCode.ConfigInvalid, `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Parses the environment once; reports every problem together rather than the first one. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const [name, entry] = issue.path;
        const where = typeof entry === "number" ? `entry ${entry + 1}: ` : "";
        return `${String(name ?? "(env)")}: ${where}${issue.message}`;
      }),
    );
  }
  const env = parsed.data;
  const problems: string[] = [];
  if (env.WEAVIATE_REPLICATION_FACTOR > 1 && !env.WEAVIATE_URL)
    problems.push(
      `WEAVIATE_REPLICATION_FACTOR: ${env.WEAVIATE_REPLICATION_FACTOR} replicas need a cluster (WEAVIATE_URL, e.g. from \`npm run cluster\`); the embedded server is one node`,
    );
  const nodeUrls = env.WEAVIATE_URL ?? [];
  const grpcUrls = env.WEAVIATE_GRPC_URL ?? [];
  if (grpcUrls.length > 0 && grpcUrls.length !== nodeUrls.length)
    problems.push(
      `WEAVIATE_GRPC_URL: ${grpcUrls.length} address(es) for ${nodeUrls.length} in WEAVIATE_URL; give one per node, in the same order`,
    );
  if (env.ROLE !== "all" && !env.WEAVIATE_URL)
    problems.push(
      `ROLE=${env.ROLE}: API replicas and workers share one Weaviate; set WEAVIATE_URL (the embedded server belongs to one process)`,
    );
  if (env.ROLE !== "all" && !env.EVENTS_DATABASE_URL)
    problems.push(
      `ROLE=${env.ROLE}: API replicas and workers share one event store; set EVENTS_DATABASE_URL to a PostgreSQL server (or off)`,
    );
  if (env.WEAVIATE_API_KEY && !env.WEAVIATE_URL)
    problems.push(
      "WEAVIATE_API_KEY: only used with WEAVIATE_URL (the embedded server is anonymous on loopback)",
    );
  if (Boolean(env.TIKLIVE_BASE_URL) !== Boolean(env.TIKLIVE_API_KEY))
    problems.push("TIKLIVE_BASE_URL and TIKLIVE_API_KEY: set both, or neither");
  if (env.INGEST_CREATORS.length > 0 && !env.TIKLIVE_API_KEY)
    problems.push("INGEST_CREATORS: tracking creators needs TIKLIVE_BASE_URL and TIKLIVE_API_KEY");
  if (env.EXPERIMENTS_FILE && env.EVENTS_DATABASE_URL === "off")
    problems.push("EXPERIMENTS_FILE: experiments need the event store (EVENTS_DATABASE_URL is off)");
  const keys = parseApiKeys(env.API_KEYS);
  problems.push(...keys.problems);
  if (env.NODE_ENV === "production" && keys.entries.length === 0 && keys.problems.length === 0) {
    problems.push(
      "API_KEYS: required in production (create one with `npm run apikey -- --name <name> --role partner|admin`)",
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    env: env.NODE_ENV,
    role: env.ROLE,
    http: { host: env.HOST, port: env.PORT },
    apiKeys: keys.entries,
    recommendCacheSeconds: env.RECOMMEND_CACHE_SECONDS,
    logLevel: env.LOG_LEVEL,
    weaviate: {
      url: nodeUrls[0],
      grpcUrl: grpcUrls[0],
      nodes: nodeUrls.map((url, i) => ({ url, ...(grpcUrls[i] ? { grpcUrl: grpcUrls[i] } : {}) })),
      failover: { windowMs: env.WEAVIATE_FAILOVER_WINDOW_MS, backoffMs: env.WEAVIATE_RETRY_BACKOFF_MS },
      apiKey: env.WEAVIATE_API_KEY,
      binary: env.WEAVIATE_BIN,
      dataDir: inRepo(env.WEAVIATE_DATA_DIR),
      backupPath: env.BACKUP_FILESYSTEM_PATH
        ? inRepo(env.BACKUP_FILESYSTEM_PATH)
        : join(dirname(inRepo(env.WEAVIATE_DATA_DIR)), "weaviate-backups"),
      cacheDir: env.CACHE_DIR ? inRepo(env.CACHE_DIR) : defaultCacheDir(source),
      replication: {
        factor: env.WEAVIATE_REPLICATION_FACTOR,
        read: env.WEAVIATE_READ_CONSISTENCY,
        write: env.WEAVIATE_WRITE_CONSISTENCY,
      },
    },
    models: {
      dir: inRepo(env.MODELS_DIR),
      variant: env.EMBED_MODEL,
      batchSize: env.EMBED_BATCH_SIZE,
      batchTokens: env.EMBED_BATCH_TOKENS,
      threads: env.EMBED_THREADS,
      provider: env.ONNX_PROVIDER,
      hubEndpoint: env.HF_ENDPOINT.replace(/\/$/, ""),
    },
    rerank: {
      model:
        env.RERANK_MODEL === "off" || !env.RERANK_MODEL.endsWith(".onnx")
          ? env.RERANK_MODEL
          : inRepo(env.RERANK_MODEL),
      budgetMs: env.RERANK_BUDGET_MS,
      maxTokens: env.RERANK_MAX_TOKENS,
      batchPairs: env.RERANK_BATCH_PAIRS,
      weight: env.RERANK_WEIGHT,
      threads: env.RERANK_THREADS,
      cachePairs: env.RERANK_CACHE_PAIRS,
      cacheSeconds: env.RERANK_CACHE_SECONDS,
    },
    rankerModel: env.RANKER_MODEL === "off" ? "off" : inRepo(env.RANKER_MODEL),
    modelRegistryDir: inRepo(env.MODEL_REGISTRY_DIR ?? join(env.MODELS_DIR, "registry")),
    rankerTraining: {
      schedule: env.RANKER_TRAINING_SCHEDULE,
      minUsers: env.RANKER_TRAINING_MIN_USERS,
      margin: env.RANKER_PROMOTION_MARGIN,
    },
    encoderGenerations: {
      graceHours: env.ENCODER_GENERATION_GRACE_HOURS,
      pageSize: env.ENCODER_GENERATION_PAGE_SIZE,
    },
    coldStart: {
      minComments: env.COLD_START_MIN_COMMENTS,
      minMembers: env.COHORT_MIN_MEMBERS,
      refreshSchedule: env.COHORT_REFRESH_SCHEDULE,
    },
    tiklive:
      env.TIKLIVE_BASE_URL && env.TIKLIVE_API_KEY
        ? {
            baseUrl: env.TIKLIVE_BASE_URL,
            apiKey: env.TIKLIVE_API_KEY,
            timeoutMs: env.TIKLIVE_TIMEOUT_MS,
            concurrency: env.TIKLIVE_CONCURRENCY,
            requestBudget: env.TIKLIVE_REQUEST_BUDGET,
          }
        : undefined,
    events: {
      url: env.EVENTS_DATABASE_URL,
      dataDir: env.EVENTS_DATA_DIR
        ? inRepo(env.EVENTS_DATA_DIR)
        : join(dirname(inRepo(env.WEAVIATE_DATA_DIR)), "postgres"),
      retentionDays: env.EVENTS_RETENTION_DAYS,
      retentionSchedule: env.EVENTS_RETENTION_SCHEDULE,
      batchMax: env.EVENTS_BATCH_MAX,
      experimentsFile: env.EXPERIMENTS_FILE ? inRepo(env.EXPERIMENTS_FILE) : undefined,
      experimentsRefreshSeconds: env.EXPERIMENTS_REFRESH_SECONDS,
      ignoredAfter: env.FEEDBACK_IGNORED_AFTER,
    },
    ingest: {
      creators: env.INGEST_CREATORS,
      postsPerCreator: env.INGEST_POSTS_PER_CREATOR,
      commentsPerVideo: env.INGEST_COMMENTS_PER_VIDEO,
      schedulePosts: env.INGEST_SCHEDULE_POSTS,
      scheduleComments: env.INGEST_SCHEDULE_COMMENTS,
      demoCatalogue: env.DEMO_CATALOGUE,
    },
    admission: {
      rateLimits: {
        partner: env.RATE_LIMIT_PARTNER,
        admin: env.RATE_LIMIT_ADMIN,
        anonymous: env.RATE_LIMIT_ANONYMOUS,
      },
      maxQueryCost: env.QUERY_MAX_COST,
      concurrency:
        env.ADMISSION_MAX_CONCURRENCY === 0
          ? undefined
          : {
              max: env.ADMISSION_MAX_CONCURRENCY,
              min: Math.min(env.ADMISSION_MIN_CONCURRENCY, env.ADMISSION_MAX_CONCURRENCY),
              initial: env.ADMISSION_INITIAL_CONCURRENCY,
              targetMs: env.ADMISSION_TARGET_MS,
              queueMs: env.ADMISSION_QUEUE_MS,
            },
      anonymousCallers: keys.entries.length === 0,
    },
  };
}

/** RATE_LIMIT_<ROLE>: "rate/burst" in points (e.g. "100/300"); "off" or "0": no budget. */
function pointsBudget(fallback: string) {
  return z
    .string()
    .trim()
    .default(fallback)
    .transform((value, ctx) => {
      if (value === "off" || value === "0") return undefined;
      const m = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(value);
      const [rate, burst] = [Number(m?.[1]), Number(m?.[2])];
      if (!m || rate <= 0 || burst < 1) {
        ctx.addIssue({
          code: "custom",
          message: `"${value}" is not "rate/burst" (points per second / burst points, e.g. "100/300"), 0 or off`,
        });
        return z.NEVER;
      }
      return { rate, burst };
    });
}
