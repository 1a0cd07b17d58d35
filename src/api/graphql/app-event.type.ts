import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

export enum AppEventKind {
  IMPRESSION = "impression",
  CLICK = "click",
  DWELL = "dwell",
}
registerEnumType(AppEventKind, {
  name: "AppEventKind",
  description: "What the app saw happen to a served page.",
  valuesConfig: {
    IMPRESSION: { description: "Items of the page were on screen: give their `positions`." },
    CLICK: { description: "The user opened the item at `position`." },
    DWELL: { description: "The video at `position` played for `dwellMs` milliseconds." },
  },
});

export enum EventStatus {
  ACCEPTED = "accepted",
  DUPLICATE = "duplicate",
  REFUSED = "refused",
}
registerEnumType(EventStatus, {
  name: "EventStatus",
  description: "What became of one event of a batch.",
  valuesConfig: {
    ACCEPTED: { description: "Stored." },
    DUPLICATE: { description: "Stored before under this clientEventId (a retry): counted once." },
    REFUSED: { description: "Not stored; `reason` says why. Fix it, or drop the event." },
  },
});

@InputType({ description: "One event about a served page; the page is named by its servedId." })
export class AppEventInput {
  @Field(() => ID, {
    description:
      "The app's own id for this event (1-128 characters), unique per API key: retries count once.",
  })
  clientEventId!: string;

  @Field(() => AppEventKind, { description: "What happened." })
  kind!: AppEventKind;

  @Field(() => ID, { description: "RecommendationPage.servedId of the page." })
  servedId!: string;

  @Field(() => [Int], {
    nullable: true,
    description: "IMPRESSION only: the 1-based positions that were on screen.",
  })
  positions?: number[];

  @Field(() => Int, { nullable: true, description: "CLICK and DWELL: the item's 1-based position." })
  position?: number;

  @Field(() => Int, { nullable: true, description: "DWELL only: milliseconds played, 0 to 6 hours." })
  dwellMs?: number;

  @Field({ nullable: true, description: "When it happened on the device (kept, not used for reports)." })
  occurredAt?: Date;
}

@ObjectType({ description: "The outcome of one event, in the order sent." })
export class EventOutcomeView {
  @Field(() => ID, { description: "The event's clientEventId, as sent." })
  clientEventId!: string;

  @Field(() => EventStatus, { description: "Stored, a duplicate, or refused." })
  status!: EventStatus;

  @Field({ nullable: true, description: "Why it was refused." })
  reason?: string;
}

@ObjectType({ description: "What a recordEvents batch did." })
export class EventsRecorded {
  @Field(() => Int, { description: "Events stored by this call." })
  accepted!: number;

  @Field(() => Int, { description: "Sent before (retries), counted once." })
  duplicates!: number;

  @Field(() => Int, { description: "Events not stored: see their reasons." })
  refused!: number;

  @Field(() => [EventOutcomeView], { description: "One per event, in the order sent." })
  outcomes!: EventOutcomeView[];
}
