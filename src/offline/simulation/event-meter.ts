import type { AppEvent, EventOutcome } from "../../domain/app-events.js";
import type { EventStore } from "../../events/event-store.js";

/** Events and seconds spent inside one kind of call, for the events-per-second figure. */
export interface CallMeter {
  events: number;
  seconds: number;
}

export interface EventMeter {
  /** EventStore.appendEvents: the store alone. */
  append: CallMeter;
  /** Services.recordEvents: validation, the store and the click feedback into Weaviate. */
  record: CallMeter;
}

export const newMeter = (): EventMeter => ({
  append: { events: 0, seconds: 0 },
  record: { events: 0, seconds: 0 },
});

/** Times `fn`, adding `events` and the seconds it took to the meter. */
export async function timed<T>(meter: CallMeter, events: number, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    meter.seconds += (performance.now() - started) / 1000;
    meter.events += events;
  }
}

/** The store with its appendEvents timed (the services get this one, so their calls count too). */
export function meteredStore(store: EventStore, meter: EventMeter): EventStore {
  const append = (source: string, events: AppEvent[]): Promise<EventOutcome[]> =>
    timed(meter.append, events.length, () => store.appendEvents(source, events));
  // A prototype-based store: bind through a Proxy rather than spreading its methods away.
  return new Proxy(store, {
    get: (target, prop) => {
      if (prop === "appendEvents") return append;
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export const perSecond = (m: CallMeter): number | null => (m.seconds > 0 ? m.events / m.seconds : null);
