/** One pane waiting for its source to come back. */
export interface ComebackWaiter {
  /** The source plays again: try now. */
  wake(): void;
  /** This pane is the source's scout: try within `ms`, not at the end of its backoff. */
  scout(ms: number): void;
}

/** A source's waiting panes, in the order they came, and the one scouting for it. */
interface Waiting {
  waiters: Set<ComebackWaiter>;
  scout: ComebackWaiter | null;
}

/** How soon a scout looks again: the wall learns within a second that its source is back. */
const SCOUT_MS = 1000;

/**
 * A window's panes waiting to reconnect, by where their streams come from (a platform account).
 * The first of them to play again says that source is back, and the others try at once instead of
 * sitting out their backoff (up to 3 s): after a platform, its media server or the network comes
 * back, the wall comes back together, not pane by pane. A pane woken for nothing (its own camera
 * still offline) fails once more and waits again, so a wake costs each pane one attempt at most.
 *
 * While two or more panes of a source wait (the source, not one camera, is likely down), the one
 * waiting longest is the source's scout and tries within a second. When it tries it stops waiting
 * and the next in line becomes the scout, so the panes take turns: the source is asked once a
 * second more, and a camera of its own being offline does not hide the others' return. One pane
 * waiting alone keeps its backoff: a camera offline for hours is not asked every second.
 */
export class Comebacks {
  private readonly waiting = new Map<string, Waiting>();

  constructor(private readonly scoutMs = SCOUT_MS) {}

  /** Waits for `from` to come back; the returned cancel is called when the pane tries anyway or goes. */
  wait(from: string, waiter: ComebackWaiter): () => void {
    let source = this.waiting.get(from);
    if (!source) this.waiting.set(from, (source = { waiters: new Set(), scout: null }));
    const s = source;
    s.waiters.add(waiter);
    this.appoint(s);
    return () => {
      s.waiters.delete(waiter);
      if (s.scout === waiter) {
        s.scout = null;
        this.appoint(s);
      }
      if (s.waiters.size === 0 && this.waiting.get(from) === s) this.waiting.delete(from);
    };
  }

  /** A pane's stream from `from` plays again: every pane waiting on it is woken, once. */
  back(from: string): void {
    const source = this.waiting.get(from);
    if (!source) return;
    this.waiting.delete(from);
    const woken = [...source.waiters];
    source.waiters.clear(); // their cancels, as they try, appoint no scout
    for (const waiter of woken) waiter.wake();
  }

  /** Panes waiting on `from` (diagnostics, tests). */
  waitingOn(from: string): number {
    return this.waiting.get(from)?.waiters.size ?? 0;
  }

  /** The longest-waiting pane scouts while two or more wait (a Set keeps the order they came in). */
  private appoint(source: Waiting): void {
    if (source.scout || source.waiters.size < 2) return;
    const first = source.waiters.values().next().value as ComebackWaiter;
    source.scout = first;
    first.scout(this.scoutMs);
  }
}
