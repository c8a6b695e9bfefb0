/** Can this browser's MediaSource decode `codec` (an RFC 6381 string such as avc1.42c01e or hvc1.1.6.L93.B0)? */
export function codecSupported(codec: string, container: 'mp4' = 'mp4'): boolean {
  if (!codec) return true;
  const MS = (globalThis as { MediaSource?: { isTypeSupported(t: string): boolean } }).MediaSource;
  if (!MS) return false;
  return MS.isTypeSupported(`video/${container}; codecs="${codec}"`);
}

export function isHevc(codec: string): boolean {
  return /^(hvc1|hev1)/i.test(codec);
}

/** Does this runtime decode H.265 (Main profile; the stream's own string is checked again when it plays)? */
export function decodesH265(): boolean {
  return codecSupported('hvc1.1.6.L93.B0') || codecSupported('hev1.1.6.L93.B0');
}

/**
 * The video codec a MediaSource refused, read from its error ("… The type provided
 * ('video/mp4;codecs=hvc1.1.6.L93.B0') is unsupported."). A stream with sound reaches
 * addSourceBuffer before mpegts.js reports the stream's media info (which waits for the sound's
 * config too), so an H.265 camera with AAC is refused this way, not as an unsupported codec.
 */
export function refusedVideoCodec(message: string): string | null {
  const m = /video\/mp4;\s*codecs="?([\w.]+)/i.exec(message);
  return m && /unsupported|not supported/i.test(message) ? m[1]! : null;
}
