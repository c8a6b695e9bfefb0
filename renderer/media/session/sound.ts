import type { SessionComponent } from './components';
import type { StreamSound } from './types';

/**
 * What a pane can say of its sound: not known yet (connecting), none (most cameras), a codec it
 * plays, or one it cannot — the view shows a muted speaker with the codec as the reason.
 */
export type SoundState =
  | { kind: 'unknown' }
  | { kind: 'none' }
  | { kind: 'playable'; codec: string }
  | { kind: 'unplayable'; codec: string };

export const UNKNOWN_SOUND: SoundState = { kind: 'unknown' };

/** A stream's sound as the engine heard it, in the pane's words. */
export function soundState(s: StreamSound): SoundState {
  if (s.codec === null) return { kind: 'none' };
  return s.playable ? { kind: 'playable', codec: s.codec } : { kind: 'unplayable', codec: s.codec };
}

/**
 * One connection's sound: what the stream carries (told by its engine), and whether the <video>
 * is muted. Every player starts muted (autoplay needs it); the operator's choice applies at the
 * connection's first frame and whenever it changes afterwards — the session, not a re-render, so a
 * reconnect cannot slip past it. Created with what the last connection learnt (`known`), so a
 * stream known to be silent or unplayable says so at once; destroyed, it mutes and stops telling.
 */
export class PaneSound implements SessionComponent {
  readonly name = 'sound';
  private started = false;
  private destroyed = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly wanted: () => boolean,
    private known: SoundState,
    private readonly onState: (state: SoundState) => void = () => undefined,
  ) {
    onState(known);
  }

  get state(): SoundState {
    return this.known;
  }

  /** The engine told what the stream's sound is. */
  heard(s: StreamSound): void {
    const next = soundState(s);
    if (this.destroyed || same(next, this.known)) return;
    this.known = next;
    this.onState(next);
    this.apply();
  }

  /** The connection's first frame: from now on the video sounds as the operator chose. */
  firstFrame(): void {
    this.started = true;
    this.apply();
  }

  /** The operator turned the pane's sound on or off. */
  changed(): void {
    this.apply();
  }

  /** Sound is heard: chosen, and not known to be absent or unplayable. */
  get audible(): boolean {
    return this.wanted() && this.known.kind !== 'none' && this.known.kind !== 'unplayable';
  }

  private apply(): void {
    if (this.destroyed || !this.started) return;
    this.video.muted = !this.audible;
  }

  destroy(): void {
    this.destroyed = true;
    this.video.muted = true;
  }
}

function same(a: SoundState, b: SoundState): boolean {
  return a.kind === b.kind && ('codec' in a ? a.codec : null) === ('codec' in b ? b.codec : null);
}
