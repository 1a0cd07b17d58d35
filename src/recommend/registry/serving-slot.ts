/** One model generation in a slot: what serves, and how many requests hold it. */
interface Generation<T> {
  id: string | null;
  model: T | undefined;
  holders: number;
  retired: boolean;
  drained: Promise<void>;
  drain: () => void;
}

export interface Lease<T> {
  /** The registry id; null when nothing serves (fixed blend, rerank off). */
  readonly id: string | null;
  readonly model: T | undefined;
  release(): void;
}

/**
 * Holds the serving model of one kind and swaps it atomically. A request takes a lease once at
 * its start and uses that model throughout, so no request sees half a swap; the old model is
 * disposed only when the last lease on it is released, so in-flight requests finish on it.
 */
export function servingSlot<T>(
  initial: { id: string | null; model: T | undefined },
  dispose: (model: T) => Promise<void>,
  onDisposeError: (err: unknown) => void = () => {},
) {
  const generation = (id: string | null, model: T | undefined): Generation<T> => {
    let drain = () => {};
    const drained = new Promise<void>((resolve) => (drain = resolve));
    return { id, model, holders: 0, retired: false, drained, drain };
  };
  let current = generation(initial.id, initial.model);

  const retire = (g: Generation<T>) => {
    if (!g.retired || g.holders > 0) return;
    const done = g.model === undefined ? Promise.resolve() : dispose(g.model).catch(onDisposeError);
    void done.then(g.drain);
  };

  return {
    current: () => ({ id: current.id, model: current.model }),
    acquire(): Lease<T> {
      const g = current;
      g.holders += 1;
      let released = false;
      return {
        id: g.id,
        model: g.model,
        release() {
          if (released) return;
          released = true;
          g.holders -= 1;
          retire(g);
        },
      };
    },
    /** Serves `next` from the next acquire on; resolves once the old model is released and disposed. */
    swap(id: string | null, model: T | undefined): Promise<void> {
      const old = current;
      current = generation(id, model);
      old.retired = true;
      retire(old);
      return old.drained;
    },
    /** Retires the serving model (at shutdown): disposed once its last lease is released. */
    close(): Promise<void> {
      return this.swap(null, undefined);
    },
  };
}

export type ServingSlot<T> = ReturnType<typeof servingSlot<T>>;
