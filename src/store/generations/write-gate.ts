/**
 * What keeps an encoder generation switch from losing or mixing writes. A write unit (read the
 * stored state, embed with the serving encoder, write) holds the gate from its first read to its
 * last write; a switch closes the gate, waits for the units in flight, runs its last catch-up
 * and flips, then opens it again. So no unit straddles a flip (its vectors would be the old
 * encoder's in the new classes), and nothing lands in the old generation after its last catch-up.
 */
export interface WriteGate {
  /** Waits while a switch holds the gate, then admits one unit; call the result when it is done. */
  enter(): Promise<() => void>;
  /** Closes the gate, waits for the units in flight, runs `flip`, then lets waiting units in. */
  quiesce<T>(flip: () => Promise<T>): Promise<T>;
  /** Units in flight, and whether a switch holds the gate (status and tests). */
  state(): { active: number; closed: boolean };
}

export function createWriteGate(): WriteGate {
  let active = 0;
  let closed: Promise<void> | undefined;
  let drained: (() => void) | undefined;
  const enter = async () => {
    while (closed) await closed;
    active++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--active === 0) drained?.();
    };
  };
  const quiesce = async <T>(flip: () => Promise<T>): Promise<T> => {
    while (closed) await closed; // one switch at a time
    let open!: () => void;
    closed = new Promise((resolve) => (open = resolve));
    try {
      if (active > 0) await new Promise<void>((resolve) => (drained = resolve));
      drained = undefined;
      return await flip();
    } finally {
      closed = undefined;
      open();
    }
  };
  return { enter, quiesce, state: () => ({ active, closed: closed !== undefined }) };
}

/** A WeaviateHandle, as far as the gate goes. */
type GatedHandle = { writeGate?: WriteGate };

/** Runs one write unit through the handle's gate (none: a store without generations, at once). */
export async function inWriteUnit<T>(handle: GatedHandle, unit: () => Promise<T>): Promise<T> {
  const leave = await enterWrites(handle);
  try {
    return await unit();
  } finally {
    leave();
  }
}

/** Enters the handle's gate for a unit that ends elsewhere (the ingest pipeline's write overlaps its next read). */
export function enterWrites(handle: GatedHandle): Promise<() => void> {
  return handle.writeGate ? handle.writeGate.enter() : Promise.resolve(() => {});
}
