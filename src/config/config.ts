import { isAbsolute, join } from "node:path";
import { z } from "zod";
import { REPO_ROOT, defaultCacheDir } from "./paths.js";

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z.string().trim().min(1).optional();
const inRepo = (path: string) => (isAbsolute(path) ? path : join(REPO_ROOT, path));

/** Every setting the service reads from the environment; the README's table mirrors this. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port.default(4000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  WEAVIATE_URL: z.url({ protocol: /^https?$/ }).optional(),
  WEAVIATE_GRPC_URL: z.url({ protocol: /^(grpcs?|https?)$/ }).optional(),
  WEAVIATE_API_KEY: optionalText,
  WEAVIATE_BIN: optionalText,
  WEAVIATE_DATA_DIR: z.string().min(1).default(".data/weaviate"),
  CACHE_DIR: optionalText,
  MODELS_DIR: z.string().min(1).default("models"),
  EMBED_MODEL: z.enum(["q8", "fp32"]).default("q8"),
  EMBED_BATCH_SIZE: z.coerce.number().int().min(1).max(1024).default(32),
  EMBED_BATCH_TOKENS: z.coerce.number().int().min(16).max(1_000_000).default(1024),
  EMBED_THREADS: z.coerce.number().int().min(0).max(256).default(0),
  ONNX_PROVIDER: z.enum(["auto", "cpu", "cuda"]).default("auto"),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env["NODE_ENV"];
  http: { host: string; port: number };
  logLevel: Env["LOG_LEVEL"];
  weaviate: {
    /** Set when connecting to an existing server or cluster; unset means embedded. */
    url?: string;
    grpcUrl?: string;
    apiKey?: string;
    binary?: string;
    dataDir: string;
    cacheDir: string;
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
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses the environment once; reports every problem together rather than the first one. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`),
    );
  }
  const env = parsed.data;
  if (env.WEAVIATE_API_KEY && !env.WEAVIATE_URL) {
    throw new ConfigError(["WEAVIATE_API_KEY: only used with WEAVIATE_URL (the embedded server is anonymous on loopback)"]);
  }
  return {
    env: env.NODE_ENV,
    http: { host: env.HOST, port: env.PORT },
    logLevel: env.LOG_LEVEL,
    weaviate: {
      url: env.WEAVIATE_URL,
      grpcUrl: env.WEAVIATE_GRPC_URL,
      apiKey: env.WEAVIATE_API_KEY,
      binary: env.WEAVIATE_BIN,
      dataDir: inRepo(env.WEAVIATE_DATA_DIR),
      cacheDir: env.CACHE_DIR ? inRepo(env.CACHE_DIR) : defaultCacheDir(source),
    },
    models: {
      dir: inRepo(env.MODELS_DIR),
      variant: env.EMBED_MODEL,
      batchSize: env.EMBED_BATCH_SIZE,
      batchTokens: env.EMBED_BATCH_TOKENS,
      threads: env.EMBED_THREADS,
      provider: env.ONNX_PROVIDER,
    },
  };
}
