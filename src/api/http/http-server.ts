import { ApolloServer, HeaderMap, type ApolloServerPlugin, type HTTPGraphQLRequest } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { GraphQLSchema } from "graphql";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { GraphQLContext } from "../graphql/context.js";
import { queryLimitsRule } from "../graphql/query-limits.js";
import { EXPLORER_PATH, explorerAsset, explorerPage } from "./explorer.js";
import { withLogFields, type Logger } from "../../platform/logger.js";
import type { Readiness } from "../services.js";
import { ErrorCode, ServiceError } from "../../platform/errors.js";
import type { Metrics } from "../../platform/metrics.js";
import { admissionControl, type AdmissionSettings } from "./admission.js";

export interface HttpServerOptions {
  schema: GraphQLSchema;
  context: (headers: HeaderMap) => Promise<GraphQLContext>;
  /** Readiness of the dependencies (Weaviate, models); "not ready" answers 503. */
  ready: () => Promise<Readiness>;
  /** Told the operation name (as sent or resolved), duration and outcome of every GraphQL request. */
  observeOperation?: (operationName: string | undefined, seconds: number, outcome: "ok" | "error") => void;
  host: string;
  port: number;
  log: Logger;
  production: boolean;
  maxBodyBytes?: number;
  /** Prometheus text for /metrics. */
  metrics?: () => string | Promise<string>;
  /** The query the explorer opens with. */
  explorerQuery?: string;
  /** Per-key budgets, the cost limit and overload shedding (admission.ts); absent: none. */
  admission?: AdmissionSettings;
  /** Where admission counts per key name and the limiter's state go. */
  admissionMetrics?: Metrics;
}

export interface RunningServer {
  url: string;
  port: number;
  /**
   * Stops accepting and answers readiness with 503, lets in-flight requests finish for up to
   * `graceMs` (then cuts the connections still open), then stops Apollo.
   */
  close(graceMs?: number): Promise<void>;
}

/** Thrown while reading a request body that exceeds the configured limit. */
class BodyTooLarge extends ServiceError {
  constructor(limit: number) {
    super(ErrorCode.BodyTooLarge, `request body over ${limit} bytes`);
  }
}

/** An incoming x-request-id is kept when it is short and plain; anything else gets a fresh one. */
const SANE_REQUEST_ID = /^[\w.:@-]{1,128}$/;

/**
 * Apollo Server on node:http, plus /health/live and /health/ready for orchestrators. Every
 * request gets an id (x-request-id in and out), carried on every log line written for it.
 */
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const timing: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse(rc) {
          opts.observeOperation?.(
            rc.operationName ?? rc.request.operationName ?? undefined,
            (performance.now() - started) / 1000,
            rc.errors?.length ? "error" : "ok",
          );
        },
      };
    },
  };
  let draining = false;
  const admission = opts.admission && admissionControl(opts.admission, opts.admissionMetrics);
  const apollo = new ApolloServer<GraphQLContext>({
    schema: opts.schema,
    introspection: true,
    // main.ts owns signals and stops Apollo after draining HTTP; Apollo would re-raise the signal.
    stopOnTerminationSignals: false,
    validationRules: [queryLimitsRule()],
    includeStacktraceInErrorResponses: !opts.production,
    plugins: [ApolloServerPluginLandingPageDisabled(), timing, ...(admission ? [admission.plugin] : [])],
  });
  await apollo.start();
  const maxBody = opts.maxBodyBytes ?? 1_000_000;
  const explorer = explorerPage(opts.explorerQuery ?? "{ status { version } }");

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/health/live") return send(res, 200, { status: "live" });
    if (url.pathname === "/health/ready") {
      if (draining) return send(res, 503, { status: "not ready", reason: "shutting down" });
      const readiness = await opts.ready();
      const failing = Object.entries(readiness.checks).filter(([, c]) => !c.ok);
      const reason = failing.length
        ? failing.map(([name, c]) => `${name}: ${c.detail ?? "failing"}`).join("; ")
        : undefined;
      return send(res, readiness.status === "not ready" ? 503 : 200, {
        ...readiness,
        ...(reason ? { reason } : {}),
      });
    }
    if (url.pathname === "/metrics" && opts.metrics) {
      const text = await opts.metrics();
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(text);
      return;
    }
    const wantsPage = req.method === "GET" && (req.headers.accept ?? "").includes("text/html");
    if (
      (url.pathname === "/graphql" && wantsPage) ||
      url.pathname === EXPLORER_PATH ||
      url.pathname === "/"
    ) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(explorer);
      return;
    }
    if (url.pathname.startsWith(EXPLORER_PATH)) {
      const asset = await explorerAsset(url.pathname);
      if (!asset) return send(res, 404, { error: "not found" });
      res
        .writeHead(200, { "content-type": asset.type, "cache-control": "public, max-age=3600" })
        .end(asset.body);
      return;
    }
    if (url.pathname !== "/graphql")
      return send(res, 404, {
        error: "not found; GraphQL is served at /graphql, the explorer at /explorer/",
      });
    const refused = admission?.earlyRefusal({ get: (name) => headerValue(req, name) });
    if (refused) {
      res.setHeader("retry-after", String(refused.retryAfterS));
      return send(res, 429, refused.body);
    }
    let body: unknown;
    try {
      body = await readJsonBody(req, maxBody);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        // The rest of the body is never read: close the connection so no client reuses it half-read.
        res.setHeader("connection", "close");
        res.once("finish", () => req.destroy());
        return send(res, 413, { errors: [{ message: `request body over ${maxBody} bytes` }] });
      }
      return send(res, 400, { errors: [{ message: "request body is not valid JSON" }] });
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const request: HTTPGraphQLRequest = { method: req.method ?? "GET", headers, search: url.search, body };
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: request,
      context: () => opts.context(headers),
    });
    res.statusCode = response.status ?? 200;
    for (const [key, value] of response.headers) res.setHeader(key, value);
    if (response.body.kind === "complete") return res.end(response.body.string);
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const server: Server = createServer((req, res) => {
    const incoming = req.headers["x-request-id"];
    const requestId =
      typeof incoming === "string" && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader("x-request-id", requestId);
    const started = performance.now();
    withLogFields({ requestId }, () => {
      // Probes and scrapes are frequent and dull: their lines are debug.
      const path = (req.url ?? "/").split("?")[0]!;
      const routine = path.startsWith("/health/") || path === "/metrics";
      res.once("finish", () => {
        opts.log[routine ? "debug" : "info"]("request", {
          method: req.method,
          path: path.slice(0, 200),
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        });
        // While draining, a keep-alive socket that just went idle is closed now, not at its timeout.
        if (draining) setImmediate(() => server.closeIdleConnections());
      });
      handle(req, res).catch((err: unknown) => {
        opts.log.error("request failed", { error: (err as Error).message });
        if (!res.headersSent) send(res, 500, { errors: [{ message: "internal server error" }] });
        else res.end();
      });
    });
  });
  // Slow clients: headers must arrive within 10 s and the whole request within 30 s.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${opts.host}:${port}/graphql`;
  return {
    url,
    port,
    close: async (graceMs = 10_000) => {
      draining = true;
      let cut: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        cut = setTimeout(() => {
          opts.log.warn("drain timed out: closing connections still open", { graceMs });
          server.closeAllConnections();
        }, graceMs);
      });
      clearTimeout(cut);
      await apollo.stop();
    },
  };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(JSON.stringify(body));
}

async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  if (req.method !== "POST") return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyTooLarge(maxBytes);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return text.length === 0 ? undefined : JSON.parse(text);
}
