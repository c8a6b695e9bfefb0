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
