import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { type DecodeBudget, windowDecodeBudget } from './budget/decode-budget';
import { KeyFrameDecoders } from './key-frames/key-frame-decoder';
import { KeyPictures } from './key-frames/key-picture';
import { Comebacks } from './session/comebacks';
import { HOLD_UNSEEN_MS } from './session/pane-session';

/**
 * What one window's panes share, and nothing else does: the decode budget that sets each pane's
 * rate, the key-frame decoder worker, the batched paint of key pictures, and the panes waiting to
 * reconnect. The window (the app's root) makes one and hands it to every pane's session;
 * `destroy` ends its worker and timers.
 */
export class MediaWindow {
  readonly decoders: KeyFrameDecoders;
  readonly pictures: KeyPictures;
  readonly budget: DecodeBudget;
  /** Whether each FLV stream carries audio, learnt once for all the window's panes (FlvPlayer). */
  readonly audioKnown = new Map<string, boolean>();
  /** Panes waiting to reconnect, woken together when their source plays again. */
  readonly comebacks = new Comebacks();
  /** How long this window's unseen live panes keep their streams (PaneSession.setSeen). */
  private holdMs = HOLD_UNSEEN_MS;

  constructor(o: { budget?: DecodeBudget; decoders?: KeyFrameDecoders } = {}) {
    this.decoders = o.decoders ?? new KeyFrameDecoders();
    this.pictures = new KeyPictures(this.decoders);
    this.budget = o.budget ?? windowDecodeBudget();
  }

  get holdUnseenMs(): number {
    return this.holdMs;
  }

  /** The operator's setting (null: the default); holds that start from now on use it. */
  setHoldUnseen(ms: number | null): void {
    this.holdMs = ms ?? HOLD_UNSEEN_MS;
  }

  destroy(): void {
    this.pictures.destroy();
    this.decoders.destroy();
    this.budget.destroy();
  }
}

const Context = createContext<MediaWindow | null>(null);

/** Gives the window's panes their MediaWindow, made here for the window's life. */
export function MediaWindowProvider({ children }: { children: ReactNode }) {
  const [media] = useState(() => new MediaWindow());
  useEffect(() => () => media.destroy(), [media]);
  return <Context.Provider value={media}>{children}</Context.Provider>;
}

/** The window's MediaWindow (a pane outside a MediaWindowProvider is a wiring mistake). */
export function useMediaWindow(): MediaWindow {
  const media = useContext(Context);
  if (!media) throw new Error('A video pane needs a MediaWindowProvider above it.');
  return media;
}
