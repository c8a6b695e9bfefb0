import { createContext } from 'react';

/** What a pane's own menu does that needs its player: asked by the gamepad for the selected pane. */
export interface PaneActions {
  /** Saves the frame on show, as the menu's Snapshot; false when the pane has no picture to take. */
  snapshot(): boolean;
  /** Pins the pane to full rate or unpins it, as the menu's item; answers whether it is pinned now, null for an empty pane. */
  togglePin(): boolean | null;
}

/**
 * One wall's panes by index, each registering its actions while it is mounted. The wall page
 * creates it and hands it down (context) and to its gamepad poller; nothing outlives the wall.
 */
export class PaneActionsRegistry {
  private readonly panes = new Map<number, PaneActions>();

  /** Returns the unregister (which leaves a newer registration of the index alone). */
  register(index: number, actions: PaneActions): () => void {
    this.panes.set(index, actions);
    return () => {
      if (this.panes.get(index) === actions) this.panes.delete(index);
    };
  }

  get(index: number): PaneActions | null {
    return this.panes.get(index) ?? null;
  }
}

export const PaneActionsContext = createContext<PaneActionsRegistry | null>(null);
