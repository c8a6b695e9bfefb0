/**
 * A window's panes waiting to reconnect, by where their streams come from (a platform account).
 * The first of them to play again says that source is back, and the others try at once instead of
 * sitting out their backoff (up to 3 s): after a platform, its media server or the network comes
 * back, the wall comes back together, not pane by pane. A pane woken for nothing (its own camera
 * still offline) fails once more and waits again, so a wake costs each pane one attempt at most.
 */
export class Comebacks {
  private readonly waiting = new Map<string, Set<() => void>>();

  /** Waits for `from` to come back; the returned cancel is called when the pane tries anyway or goes. */
  wait(from: string, wake: () => void): () => void {
    let set = this.waiting.get(from);
    if (!set) this.waiting.set(from, (set = new Set()));
    set.add(wake);
    return () => {
      set.delete(wake);
      if (set.size === 0 && this.waiting.get(from) === set) this.waiting.delete(from);
    };
  }

  /** A pane's stream from `from` plays again: every pane waiting on it is woken, once. */
  back(from: string): void {
    const set = this.waiting.get(from);
    if (!set) return;
    this.waiting.delete(from);
    for (const wake of set) wake();
  }

  /** Panes waiting on `from` (diagnostics, tests). */
  waitingOn(from: string): number {
    return this.waiting.get(from)?.size ?? 0;
  }
}
