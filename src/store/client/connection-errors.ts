/**
 * Which Weaviate failures mean "this node did not answer", the only ones worth trying again or
 * elsewhere. weaviate-client wraps gRPC and fetch errors in its own classes, so the test is on
 * the message chain: what the client says, then what the socket said.
 */
const NEVER_SENT = /ECONNREFUSED|connect ECONNREFUSED|No connection established|EHOSTUNREACH|ENOTFOUND/i;
const NODE_DOWN =
  /UNAVAILABLE|ECONNRESET|EPIPE|other side closed|socket hang up|fetch failed|UND_ERR_SOCKET|UND_ERR_CLOSED|Connection dropped|ETIMEDOUT|DEADLINE_EXCEEDED|GOAWAY|RST_STREAM|503 Service Unavailable|status code: 503/i;

function messages(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const { message, code, cause } = e as { message?: string; code?: string; cause?: unknown };
    parts.push(String(message ?? e), String(code ?? ""));
    e = cause;
  }
  return parts.join(" | ");
}

/** The request never reached the node (refused, unreachable): any call may go elsewhere. */
export function neverSent(err: unknown): boolean {
  return NEVER_SENT.test(messages(err));
}

/** The node, or the socket to it, failed: an idempotent call may be repeated. */
export function nodeFailed(err: unknown): boolean {
  return neverSent(err) || NODE_DOWN.test(messages(err));
}
