import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../errors';
import { LOCAL, runFfmpeg } from './ffmpeg-run';

/**
 * Fonts for the burned-in text, CJK-capable first (operator names are often Chinese), then the
 * DejaVu the Linux packages and the simulator use. The ffmpeg Vigil ships has drawtext
 * (libfreetype) but no fontconfig configuration to find fonts by name, so a file is named.
 */
const FONTS = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  'C:/Windows/Fonts/msyh.ttc',
  'C:/Windows/Fonts/arial.ttf',
  '/System/Library/Fonts/PingFang.ttc',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
  '/Library/Fonts/Arial.ttf',
];

export function findWatermarkFont(candidates = FONTS): string | null {
  return candidates.find((f) => fs.existsSync(f)) ?? null;
}

/** The lines burned in: who exported, at which seat, when. */
export function watermarkText(o: { user: string; seat: string; created: string; caseName: string }): string {
  return [`Vigil evidence · ${o.caseName}`, `${o.user || '-'} @ ${o.seat || '-'}`, o.created].join('\n');
}

// In a filter option quoted with '…' nothing but ' is special; paths are kept to '/' (Windows too).
const quoted = (p: string) => {
  const v = p.replace(/\\/g, '/');
  if (v.includes("'")) throw new AppError('INTERNAL', `The watermark cannot use a path with a quote in it: ${v}`);
  return `'${v}'`;
};

/** The drawtext filter: text from a file (no escaping of what the operator typed), bottom right, boxed. */
export function drawtextFilter(font: string, textFile: string): string {
  return (
    `drawtext=fontfile=${quoted(font)}:textfile=${quoted(textFile)}:expansion=none` +
    ':fontcolor=white@0.9:fontsize=h/26:line_spacing=4:box=1:boxcolor=black@0.5:boxborderw=6:x=w-tw-16:y=h-th-16'
  );
}

/**
 * Burns `text` into the MP4 at `part`, in place: the picture is re-encoded (H.264), the sound
 * copied. The re-encode goes to a file beside the part and replaces it only when complete.
 * Aborting kills ffmpeg.
 */
export async function burnWatermark(
  ffmpeg: string,
  part: string,
  text: string,
  signal: AbortSignal,
  font = findWatermarkFont(),
): Promise<void> {
  if (!font) throw new AppError('NOT_AVAILABLE', 'No font for the watermark was found on this computer');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-wm-'));
  const textFile = path.join(dir, 'text.txt');
  const out = `${part}.wm`;
  try {
    fs.writeFileSync(textFile, text, 'utf8');
    const args = [
      ...LOCAL,
      ...['-i', part],
      ...['-vf', drawtextFilter(font, textFile), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20'],
      ...['-pix_fmt', 'yuv420p', '-c:a', 'copy'],
      // The clip's own container: a platform's download may be TS.
      ...(/\.ts\.\d+\.part$/.test(part) ? ['-f', 'mpegts'] : ['-f', 'mp4', '-movflags', '+faststart']),
      ...['-y', out],
    ];
    await runFfmpeg(ffmpeg, args, signal, 'burn the watermark');
    fs.renameSync(out, part);
  } finally {
    fs.rmSync(out, { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
