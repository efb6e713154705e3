/**
 * Open-addressing hash tables keyed by non-negative 30-bit integers (the classifier's hashed feature keys, which
 * are already well mixed, so a key's low bits choose its slot). The classifier looks up a few thousand keys per
 * reply; these keep that fast and allocation-free where a Map would not be.
 */

function capacityFor(n: number): number {
  let size = 16;
  while (size < n * 2) size *= 2;
  return size;
}

/** A fixed map from key to a non-negative integer, built once (the model's rows). */
export class IntMap {
  private readonly keys: Int32Array;
  private readonly values: Int32Array;
  private readonly mask: number;
  constructor(entries: number) {
    const size = capacityFor(entries);
    this.keys = new Int32Array(size).fill(-1);
    this.values = new Int32Array(size);
    this.mask = size - 1;
  }
  set(key: number, value: number): void {
    let i = key & this.mask;
    while (this.keys[i] !== -1 && this.keys[i] !== key) i = (i + 1) & this.mask;
    this.keys[i] = key;
    this.values[i] = value;
  }
  /** The value of `key`, or -1. */
  get(key: number): number {
    let i = key & this.mask;
    for (;;) {
      const k = this.keys[i];
      if (k === key) return this.values[i] ?? -1;
      if (k === -1) return -1;
      i = (i + 1) & this.mask;
    }
  }
}

/** A set of keys emptied in constant time (a new generation) and grown as needed: one reply's features. */
export class IntSet {
  private keys = new Int32Array(4096);
  private stamps = new Int32Array(4096);
  private generation = 1;
  private count = 0;
  clear(): void {
    this.generation++;
    this.count = 0;
  }
  /** Adds the key; false when it was already there. */
  add(key: number): boolean {
    if (this.count * 2 >= this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let i = key & mask;
    while (this.stamps[i] === this.generation) {
      if (this.keys[i] === key) return false;
      i = (i + 1) & mask;
    }
    this.stamps[i] = this.generation;
    this.keys[i] = key;
    this.count++;
    return true;
  }
  private grow(): void {
    const old = { keys: this.keys, stamps: this.stamps, generation: this.generation };
    this.keys = new Int32Array(old.keys.length * 2);
    this.stamps = new Int32Array(old.keys.length * 2);
    this.generation = 1;
    this.count = 0;
    old.stamps.forEach((s, i) => {
      if (s === old.generation) this.add(old.keys[i] ?? 0);
    });
  }
}
