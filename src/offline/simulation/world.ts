import type { Services } from "../../api/services.js";
import type { EventStore } from "../../events/event-store.js";
import type { EventMeter } from "./event-meter.js";

/**
 * What a simulation runs on: the real services (made by the command, since offline/ does not
 * import app/), the event store they record into, and the clock both read.
 */
export interface SimulationWorld {
  services: Services;
  /** The same store the services were given (metered), for the A/A runs that bypass serving. */
  store: EventStore;
  meter: EventMeter;
  /** Moves the clock the services, the experiments and the store's served pages read. */
  setTime(at: Date): void;
}

export const DAY_MS = 86_400_000;

/** Noon UTC of `day` (1-based) after `start`: reports count days in UTC, so noon is far from both edges. */
export const dayTime = (start: Date, day: number): Date => new Date(start.getTime() + day * DAY_MS);

/** A user of the simulation: who, and the held-out videos the click model favours. */
export interface SimUser {
  userId: string;
  heldOut: ReadonlySet<string>;
}
