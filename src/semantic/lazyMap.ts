// A Map whose values are built on first access. The precompiled stdlib registers every registry entry with a loader
// (its declarations are decoded only when a check reads the entry), so a cold `lavisc check` decodes the few entries
// an experiment names instead of the whole stdlib. Keys are present from the start: `has`, `keys` and `size` never
// load; iterating values or entries loads what is still pending.

export class LazyMap<K, V> extends Map<K, V> {
  private readonly pending = new Map<K, () => V>();

  /** Registers `key` with a loader that runs on the first `get` (or iteration). */
  defer(key: K, load: () => V): this {
    super.set(key, undefined as V);
    this.pending.set(key, load);
    return this;
  }

  override get(key: K): V | undefined {
    const load = this.pending.get(key);
    if (!load) return super.get(key);
    this.pending.delete(key);
    const value = load();
    super.set(key, value);
    return value;
  }

  override set(key: K, value: V): this {
    this.pending?.delete(key); // `pending` is not yet assigned while Map's constructor runs
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.pending.delete(key);
    return super.delete(key);
  }

  override clear(): void {
    this.pending.clear();
    super.clear();
  }

  override values(): MapIterator<V> {
    this.loadAll();
    return super.values();
  }

  override entries(): MapIterator<[K, V]> {
    this.loadAll();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  override forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    this.loadAll();
    super.forEach(callback, thisArg);
  }

  /** A copy that can change on its own; entries still pending load once, through this map, and are shared. */
  fork(): LazyMap<K, V> {
    const copy = new LazyMap<K, V>();
    for (const key of super.keys()) {
      if (this.pending.has(key)) copy.defer(key, () => this.get(key)!);
      else copy.set(key, super.get(key)!);
    }
    return copy;
  }

  /** How many values are still to load (tests and the benchmark check that a cold check loads few). */
  get pendingCount(): number {
    return this.pending.size;
  }

  private loadAll(): void {
    for (const key of [...this.pending.keys()]) this.get(key);
  }
}

/** An independent copy of a registry table: lazy tables fork, plain maps copy. */
export function copyTable<K, V>(m: Map<K, V>): Map<K, V> {
  return m instanceof LazyMap ? m.fork() : new Map(m);
}
