import { imageSize, type KeyPictures } from '../key-frames/key-picture';

/**
 * How long a snapshot waits for a key-frame pane's video to catch up: its next key frame (a GOP,
 * 1–2 s for most cameras) and the frames to play it, on a loaded machine seconds more; a "smart
 * codec" camera's 10-s GOP is longer (then the pane-sized picture is saved).
 */
const SNAPSHOT_WAIT_MS = 8000;

/** Why a snapshot was not taken: `key` names the words in the operator's language (i18n). */
export class SnapshotError extends Error {
  constructor(readonly key: 'media.snapshotNoPicture' | 'media.snapshotEncodeFailed') {
    super(key === 'media.snapshotNoPicture' ? 'No picture to capture yet' : 'The frame could not be encoded');
  }
}

/**
 * Saves the pane's current frame as a PNG named after the channel and the local time of the
 * picture (now for live video, the recorded time for playback). A key-frame pane's video holds an
 * old frame (key-picture.ts): its snapshot waits for the video to show what comes now (the caller
 * keeps the pane at full rate meanwhile), else takes its key picture, which is pane-sized and
 * named by when it was shown.
 */
export async function saveSnapshot(
  video: HTMLVideoElement,
  channelName: string,
  at?: Date,
  /** The window's key pictures, where the pane may show one (a live wall pane); a recording's video is its picture. */
  pictures?: KeyPictures,
): Promise<string> {
  const paneImage = (v: HTMLVideoElement) => pictures?.paneImage(v) ?? v;
  const imageTime = (image: HTMLVideoElement | HTMLCanvasElement) => pictures?.imageTime(image) ?? new Date();
  const currentPicture = async (v: HTMLVideoElement, waitMs: number) => pictures?.currentPicture(v, waitMs) ?? v;
  // A key picture is copied now: should the pane change while the snapshot waits (a reconnect, a
  // stream switch, another channel), what it showed at the click is saved.
  const shown = paneImage(video);
  const atClick = shown === video ? null : { picture: copyOf(shown), at: imageTime(shown) };
  const image = await currentPicture(video, SNAPSHOT_WAIT_MS);
  const now = imageSize(image)[0] && image.isConnected ? { picture: copyOf(image), at: imageTime(image) } : null;
  const taken = now?.picture ? now : atClick;
  if (!taken?.picture) throw new SnapshotError('media.snapshotNoPicture');
  const blob = await new Promise<Blob | null>((ok) => taken.picture!.toBlob(ok, 'image/png'));
  if (!blob) throw new SnapshotError('media.snapshotEncodeFailed');
  const name = snapshotName(channelName, at ?? taken.at, 'png');
  download(URL.createObjectURL(blob), name);
  return name;
}

/** A canvas holding `image` at its own size; null where it has no picture. */
function copyOf(image: HTMLVideoElement | HTMLCanvasElement): HTMLCanvasElement | null {
  const [width, height] = imageSize(image);
  if (!width || !height) return null;
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [width, height];
  canvas.getContext('2d')!.drawImage(image, 0, 0);
  return canvas;
}

/**
 * `<channel>_<yyyyMMdd>_<HHmmss>[suffix].<ext>` in local time, safe as a file name everywhere:
 * runs of spaces, control characters (C0, DEL, C1) and characters Windows and macOS refuse become
 * one `_`; bidi controls are dropped (they make a name show in another order than it has: "gate",
 * U+202E, "4pm.exe" shows as "gateexe.png"); a long name is cut to fit (below). As main's export
 * names (services/export.ts).
 */
export function snapshotName(channelName: string, at: Date, ext: string, suffix = ''): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const channel = channelName
    .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    // eslint-disable-next-line no-control-regex -- control characters are what it replaces
    .replace(/[\0-\x1f\x7f-\x9f\\/:*?"<>|\s]+/g, '_');
  return `${withinBytes(channel, NAME_BYTES)}_${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}_${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}${suffix}.${ext}`;
}

/**
 * File systems count a name's bytes (255 on Linux and macOS): 85 Chinese characters already fill
 * it, and a longer name is refused when saved. The channel's part keeps its first 120 UTF-8 bytes,
 * whole characters only.
 */
const NAME_BYTES = 120;
function withinBytes(text: string, max: number): string {
  const encoder = new TextEncoder();
  let out = '';
  for (const ch of text) {
    if (encoder.encode(out + ch).length > max) break;
    out += ch;
  }
  return out;
}

/** Hands a blob: or data: URL to the browser's download (Electron's will-download saves it). */
export function download(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  if (url.startsWith('blob:')) setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
