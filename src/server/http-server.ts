import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { GraphQLSchema } from "graphql";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphQLContext } from "../graphql/context.js";
import { queryLimitsRule } from "../graphql/query-limits.js";
import { EXPLORER_PATH, explorerAsset, explorerPage } from "./explorer.js";
import type { Logger } from "../logger.js";

export interface HttpServerOptions {
  schema: GraphQLSchema;
  context: (headers: HeaderMap) => Promise<GraphQLContext>;
  /** Readiness: true when every dependency (Weaviate, models) answers. */
  ready: () => Promise<boolean>;
  host: string;
  port: number;
  log: Logger;
  production: boolean;
  maxBodyBytes?: number;
  /** Prometheus text for /metrics. */
  metrics?: () => string;
  /** The query the explorer opens with. */
  explorerQuery?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish, then stops Apollo. */
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

/** Apollo Server on node:http, plus /health/live and /health/ready for orchestrators. */
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const apollo = new ApolloServer<GraphQLContext>({
    schema: opts.schema,
    introspection: true,
    // main.ts owns signals and stops Apollo after draining HTTP; Apollo would re-raise the signal.
    stopOnTerminationSignals: false,
    validationRules: [queryLimitsRule()],
    includeStacktraceInErrorResponses: !opts.production,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  const maxBody = opts.maxBodyBytes ?? 1_000_000;
  const explorer = explorerPage(opts.explorerQuery ?? "{ status { version } }");

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/health/live") return send(res, 200, { status: "live" });
    if (url.pathname === "/health/ready") {
      const ready = await opts.ready();
      return send(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready" });
    }
    if (url.pathname === "/metrics" && opts.metrics) {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(opts.metrics());
      return;
    }
    const wantsPage = req.method === "GET" && (req.headers.accept ?? "").includes("text/html");
    if ((url.pathname === "/graphql" && wantsPage) || url.pathname === EXPLORER_PATH || url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(explorer);
      return;
    }
    if (url.pathname.startsWith(EXPLORER_PATH)) {
      const asset = await explorerAsset(url.pathname);
      if (!asset) return send(res, 404, { error: "not found" });
      res.writeHead(200, { "content-type": asset.type, "cache-control": "public, max-age=3600" }).end(asset.body);
      return;
    }
    if (url.pathname !== "/graphql") return send(res, 404, { error: "not found; GraphQL is served at /graphql, the explorer at /explorer/" });
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
    const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: () => opts.context(headers) });
    res.statusCode = response.status ?? 200;
    for (const [key, value] of response.headers) res.setHeader(key, value);
    if (response.body.kind === "complete") return res.end(response.body.string);
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      opts.log.error("request failed", { error: (err as Error).message });
      if (!res.headersSent) send(res, 500, { errors: [{ message: "internal server error" }] });
      else res.end();
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
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
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
    if (size > maxBytes) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return text.length === 0 ? undefined : JSON.parse(text);
}
