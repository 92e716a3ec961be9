/**
 * A hash table from short integer tuples to ids, in typed arrays (open addressing, linear
 * probing). The audit looks up one key per user and subject, 30 million times for a large
 * organisation: a Map keyed by strings or large numbers would allocate on every look-up.
 */
export class KeyTable {
  private slots: Int32Array;
  private keys: Int32Array;
  private ids: Int32Array;
  private size = 0;
  private capacity: number;

  /** `width`: the number of integers in every key. */
  constructor(private readonly width: number, initialCapacity = 64) {
    this.capacity = initialCapacity;
    this.slots = new Int32Array(this.capacity).fill(-1);
    this.keys = new Int32Array(this.capacity * width);
    this.ids = new Int32Array(this.capacity);
  }

  /** The id stored for `key` (its first `width` integers), or -1. */
  get(key: Int32Array): number {
    const mask = this.capacity - 1;
    for (let at = hash(key, this.width) & mask; ; at = (at + 1) & mask) {
      const entry = this.slots[at];
      if (entry < 0) return -1;
      if (this.equals(entry, key)) return this.ids[entry];
    }
  }

  /** Stores `id` for `key`, which must not be present yet. */
  set(key: Int32Array, id: number): void {
    if ((this.size + 1) * 2 > this.capacity) this.grow();
    const entry = this.size++;
    this.keys.set(key.subarray(0, this.width), entry * this.width);
    this.ids[entry] = id;
    this.place(entry);
  }

  private place(entry: number): void {
    const mask = this.capacity - 1;
    let at = hash(this.keys.subarray(entry * this.width, entry * this.width + this.width), this.width) & mask;
    while (this.slots[at] >= 0) at = (at + 1) & mask;
    this.slots[at] = entry;
  }

  private equals(entry: number, key: Int32Array): boolean {
    const base = entry * this.width;
    for (let i = 0; i < this.width; i++) if (this.keys[base + i] !== key[i]) return false;
    return true;
  }

  private grow(): void {
    this.capacity *= 2;
    this.slots = new Int32Array(this.capacity).fill(-1);
    const keys = new Int32Array(this.capacity * this.width);
    keys.set(this.keys);
    this.keys = keys;
    const ids = new Int32Array(this.capacity);
    ids.set(this.ids);
    this.ids = ids;
    for (let entry = 0; entry < this.size; entry++) this.place(entry);
  }
}

function hash(key: Int32Array, width: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < width; i++) h = Math.imul(h ^ key[i], 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}
