/**
 * The thumbnail cache's index: which pictures are on disk, their sizes and their order of last
 * use, bounded by a byte budget. Pure bookkeeping: the service deletes the files it is told to
 * evict. Map insertion order is the recency order (a use moves a key to the end).
 */
export class LruIndex {
  private readonly entries = new Map<string, number>();
  private bytes = 0;

  constructor(private maxBytes: number) {
    if (!(maxBytes >= 0)) throw new RangeError('the cache size must be a number of bytes ≥ 0');
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  get limitBytes(): number {
    return this.maxBytes;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Marks a key used now; false when it is not in the index. */
  touch(key: string): boolean {
    const size = this.entries.get(key);
    if (size === undefined) return false;
    this.entries.delete(key);
    this.entries.set(key, size);
    return true;
  }

  /**
   * Adds (or replaces) a key as the most recent and answers the keys to evict, oldest first, to
   * stay within the budget. A picture larger than the whole budget is itself evicted.
   */
  add(key: string, bytes: number): string[] {
    if (!(bytes >= 0)) throw new RangeError('an entry has a size ≥ 0');
    this.remove(key);
    this.entries.set(key, bytes);
    this.bytes += bytes;
    return this.trim();
  }

  remove(key: string): boolean {
    const size = this.entries.get(key);
    if (size === undefined) return false;
    this.entries.delete(key);
    this.bytes -= size;
    return true;
  }

  /** A new budget (the setting changed): answers what to evict now. */
  resize(maxBytes: number): string[] {
    if (!(maxBytes >= 0)) throw new RangeError('the cache size must be a number of bytes ≥ 0');
    this.maxBytes = maxBytes;
    return this.trim();
  }

  /** Rebuilds from what is on disk: entries in order of last use (oldest first); answers what to evict. */
  load(found: Array<{ key: string; bytes: number; usedMs: number }>): string[] {
    this.entries.clear();
    this.bytes = 0;
    for (const f of [...found].sort((a, b) => a.usedMs - b.usedMs)) {
      this.entries.set(f.key, f.bytes);
      this.bytes += f.bytes;
    }
    return this.trim();
  }

  private trim(): string[] {
    const evicted: string[] = [];
    for (const [key, size] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= size;
      evicted.push(key);
    }
    return evicted;
  }
}
