import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { ParsedEvent } from "../services.js";
import { ErrorCode, ServiceError } from "../../platform/errors.js";
import { GraphQLErrorCode, graphQLError } from "../error-codes.js";
import { AppEventInput, AppEventKind, EventsRecorded, type EventStatus } from "./app-event.type.js";
import type { GraphQLContext } from "./context.js";

/** The fields each kind takes; any other is a mistake worth telling the app about. */
const FIELDS: Record<AppEventKind, readonly ("positions" | "position" | "dwellMs")[]> = {
  [AppEventKind.IMPRESSION]: ["positions"],
  [AppEventKind.CLICK]: ["position"],
  [AppEventKind.DWELL]: ["position", "dwellMs"],
};

/** The input as the service takes it: a well-formed event, or why it is not one. */
export function parseEvent(e: AppEventInput): ParsedEvent {
  const { clientEventId, servedId, kind } = e;
  const malformed = (reason: string): ParsedEvent => ({ kind: "malformed", clientEventId, reason });
  for (const field of ["positions", "position", "dwellMs"] as const) {
    const wanted = FIELDS[kind].includes(field);
    if (wanted && e[field] == null) return malformed(`${kind} events need ${field}`);
    if (!wanted && e[field] != null) return malformed(`${field} does not belong on a ${kind} event`);
  }
  const occurredAt = e.occurredAt ?? undefined;
  if (kind === AppEventKind.IMPRESSION)
    return { kind: "impression", clientEventId, servedId, positions: e.positions!, occurredAt };
  if (kind === AppEventKind.CLICK)
    return { kind: "click", clientEventId, servedId, position: e.position!, occurredAt };
  return { kind: "dwell", clientEventId, servedId, position: e.position!, dwellMs: e.dwellMs!, occurredAt };
}

/** Events from the apps. Any key: apps report what their users saw and did. */
@Authorized()
@Resolver()
export class AppEventsResolver {
  @Mutation(() => EventsRecorded, {
    description:
      "Stores a batch of impressions, clicks and dwell times about served pages. Each event is accepted, a duplicate (a retry), or refused with a reason; refused events never stop the rest. On an error the whole batch was not stored: send it again.",
  })
  async recordEvents(
    @Ctx() ctx: GraphQLContext,
    @Arg("events", () => [AppEventInput], { description: "Up to EVENTS_BATCH_MAX (500) events." })
    events: AppEventInput[],
  ): Promise<EventsRecorded> {
    try {
      const outcomes = await ctx.services.recordEvents(ctx.caller.name, events.map(parseEvent));
      const count = (status: string) => outcomes.filter((o) => o.status === status).length;
      return Object.assign(new EventsRecorded(), {
        accepted: count("accepted"),
        duplicates: count("duplicate"),
        refused: count("refused"),
        outcomes: outcomes.map((o) => ({
          clientEventId: o.clientEventId,
          status: o.status as EventStatus,
          reason: o.status === "refused" ? o.reason : undefined,
        })),
      });
    } catch (err) {
      if (err instanceof ServiceError && err.code === ErrorCode.EventStoreUnavailable)
        throw graphQLError(
          GraphQLErrorCode.Unavailable,
          `events not stored, send them again: ${err.message}`,
          {
            extensions: { http: { status: 503 } },
          },
        );
      throw err;
    }
  }
}
