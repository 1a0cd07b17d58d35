import { ErrorCode, ServiceError } from "../platform/errors.js";

/**
 * Thrown when the event store cannot be used: its PostgreSQL is down or unreachable, the URL is
 * wrong (host, credentials, database), or the embedded server's data folder is unusable. The
 * message says what failed and how to fix it; `cause` keeps the driver's own error.
 */
export class EventStoreUnavailableError extends ServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.EventStoreUnavailable, message, options);
  }
}

/** SQLSTATE classes and socket codes that mean "the database is not there", not "our query is wrong". */
const UNAVAILABLE_STATES = /^(08|28|3D|53|57P)/;
const UNAVAILABLE_SOCKET = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

export function isUnavailable(err: unknown): boolean {
  if (err instanceof EventStoreUnavailableError) return true;
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e.code === "string" && (UNAVAILABLE_SOCKET.has(e.code) || UNAVAILABLE_STATES.test(e.code)))
    return true;
  const message = typeof e.message === "string" ? e.message : "";
  return /Connection terminated|connection timeout|Client has encountered a connection error|pool.*ended/i.test(
    message,
  );
}

/** The fix to suggest for a failure of the store at `where` (an address without its password). */
export function describeUnavailable(what: string, where: string, err: unknown): EventStoreUnavailableError {
  const e = err as { code?: string; message?: string };
  const code = e.code ?? "";
  const detail = e.message || String(err);
  let fix: string;
  if (code === "28P01" || code === "28000")
    fix = "the user name or password in EVENTS_DATABASE_URL is wrong; fix the URL";
  else if (code === "3D000")
    fix = "the database in EVENTS_DATABASE_URL does not exist; create it or fix the URL";
  else if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    fix = "the host in EVENTS_DATABASE_URL does not resolve; fix the URL";
  else if (code.startsWith("53"))
    fix =
      "PostgreSQL is out of resources (disk full or too many connections); free space or raise max_connections";
  else
    fix =
      "PostgreSQL is down or unreachable; start it, check EVENTS_DATABASE_URL, or unset it to use the embedded server";
  return new EventStoreUnavailableError(`event store: ${what} failed at ${where}: ${detail} (${fix})`, {
    cause: err,
  });
}

/** postgres://user:***@host:port/db: a URL to show in logs and errors. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(an EVENTS_DATABASE_URL that does not parse)";
  }
}
