/**
 * Maps' bounds, shared by main (which enforces them) and the renderer (which says "too big" before
 * sending a file). Plain constants: no zod, no DOM, no Node.
 */

/** The biggest plan image main keeps (bytes): a large scanned floor plan, far below a frame. */
export const MAX_MAP_IMAGE_BYTES = 8 * 1024 * 1024;
/** Plans and pins one seat keeps: beyond, main refuses in words. */
export const MAX_MAPS = 500;
export const MAX_PINS = 5000;
/** A site file (every plan embedded as base64, and the tree and pins): bounded like a frame. */
export const MAX_SITE_FILE_CHARS = 14_000_000;
