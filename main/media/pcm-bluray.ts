/**
 * G.711 sound for ffmpeg's MPEG-TS input. MPEG-TS registers no stream type for G.711 (GB28181's PS
 * streams use the private 0x90, which ffmpeg's MPEG-TS reader does not take), and the ffmpeg Vigil
 * ships reads no H.265 from FLV, so main carries an H.265 camera's G.711 to ffmpeg beside the
 * pictures as Blu-ray LPCM (stream type 0x80 under an "HDMV" registration: ffmpeg's `pcm_bluray`),
 * the one PCM form its MPEG-TS reader takes with timestamps. That form starts at 48 kHz, so the
 * 8-kHz samples are interpolated ×6 through a low-pass filter (a zero-order hold would leave
 * images of the tone at 7, 9, 15 kHz… that an AAC encoder keeps). Pure, apart from the
 * interpolator's history, which belongs to one stream's writer.
 */

/** The interpolation factor: 8 kHz → 48 kHz. */
export const UPSAMPLE = 6;
/** Input samples each output sample is made from. */
const TAPS_PER_PHASE = 16;

/**
 * Hann-windowed sinc low-pass at 48 kHz, cut at 3.8 kHz (G.711's band ends at 3.4 kHz), gain
 * UPSAMPLE (each phase then sums to about 1): taps[phase][k] weighs the input sample k back.
 */
function polyphaseTaps(): Float64Array[] {
  const n = UPSAMPLE * TAPS_PER_PHASE;
  const fc = 3800 / 48000;
  const h = Array.from({ length: n }, (_, i) => {
    const m = i - (n - 1) / 2;
    const sinc = m === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * m) / (Math.PI * m);
    const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n);
    return sinc * hann * UPSAMPLE;
  });
  return Array.from({ length: UPSAMPLE }, (_, p) =>
    Float64Array.from({ length: TAPS_PER_PHASE }, (_, k) => h[k * UPSAMPLE + p]!),
  );
}

/** 8-kHz samples → 48-kHz samples, filtered; keeps the last input samples for the next call. */
export class Upsampler {
  private readonly taps = polyphaseTaps();
  private history = new Float64Array(TAPS_PER_PHASE);

  push(input: Int16Array): Int16Array {
    const out = new Int16Array(input.length * UPSAMPLE);
    const h = this.history;
    for (let i = 0; i < input.length; i++) {
      h.copyWithin(1, 0, TAPS_PER_PHASE - 1);
      h[0] = input[i]!;
      for (let p = 0; p < UPSAMPLE; p++) {
        const t = this.taps[p]!;
        let acc = 0;
        for (let k = 0; k < TAPS_PER_PHASE; k++) acc += t[k]! * h[k]!;
        out[i * UPSAMPLE + p] = Math.max(-32768, Math.min(32767, Math.round(acc)));
      }
    }
    return out;
  }
}

/**
 * One Blu-ray LPCM access unit (what ffmpeg's pcm_bluray decodes): a 4-byte header — payload
 * size, channel assignment (3: stereo) and rate (1: 48 kHz), 16 bits a sample — then the samples
 * big-endian, each mono sample on both channels (the form's mono has a padding channel whose
 * handling differs between readers; stereo reads the same everywhere).
 */
export function pcmBlurayUnit(samples48k: Int16Array): Uint8Array {
  const size = samples48k.length * 4;
  const out = new Uint8Array(4 + size);
  out.set([size >> 8, size & 0xff, 0x31, 0x40], 0);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples48k.length; i++) {
    view.setInt16(4 + i * 4, samples48k[i]!);
    view.setInt16(6 + i * 4, samples48k[i]!);
  }
  return out;
}
