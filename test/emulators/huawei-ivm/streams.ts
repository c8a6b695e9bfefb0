import { fail } from './errors';

/**
 * Huawei IVM chapter 17: stream capabilities (17.1), current settings (17.2) and configuration
 * (17.3) of HOLO channels. The capability set lists three streams (the document's example lists
 * only the main one): main 2560*1440 … 1280*720 in H.264/H.265, subs 704*576 and 640*360.
 * Writes must use values from the capabilities; 0 means "not applicable" (§17.3 observations).
 */
const FRAME_RATES = Array.from({ length: 25 }, (_, i) => String(25 - i));
const res = (type: string, begin: number, end: number, def: number) => ({
  type,
  frame_rate: FRAME_RATES,
  bit_rate: { support: true, begin, end, default: def },
});
const MAIN = [res('2560*1440', 1024, 16384, 4096), res('1920*1080', 512, 8192, 2048), res('1280*720', 384, 4096, 1024)];
const SUB = [res('704*576', 256, 2048, 512), res('640*360', 128, 1024, 512)];
const encoders = (resolutions: typeof MAIN) => ['H.264', 'H.265'].map((type) => ({ type, resolution: resolutions }));
const encodeInfo = (support: boolean) => ({
  intelligence: { support, type: [3, 1, 2, 4, 5] },
  is_support_slice: support,
  is_support_layered_encoding: support,
  profile_list: { support, type: [0, 1, 2] },
  i_frame_interval: { support, begin: support ? 1 : 0, end: support ? 500 : 0 },
  bit_rate_info: {
    support,
    bit_rate_type: [
      { type: 0, bit_rate_mode: [0, 1], pic_quality: null },
      { type: 1, bit_rate_mode: null, pic_quality: [0, 1, 2, 3, 4, 5] },
    ],
  },
  jpeg_quality: { begin: 1, end: 99 },
});

export const ABILITY = {
  channel_no: 101,
  is_support_corridor_mode: false,
  is_hide_sub_stream_for_main_mjpeg: false,
  is_support_water_mark: true,
  mirror_mode: { support: true, type: [0, 1, 2, 3] },
  variable_bit_rate: { support: true },
  variable_frame: { support: true },
  h264_info: encodeInfo(true),
  h265_info: { ...encodeInfo(true), profile_list: { support: true, type: [0] } },
  mjpeg_info: encodeInfo(false),
  digital_zoom_info: { support: false, max_zoom: 16 },
  roi_info: { support: true, roi_quality: { begin: 1, end: 10 } },
  vo_info: { support: true, param: { channel_no: '101' } },
  osd_info: { support: true },
  abilities: [
    {
      stream_count: 3,
      max_frame_rate: 25,
      stream_info: [
        { stream_type: 0, encode_mode: encoders(MAIN), support_crop: false, support_eptz: false },
        { stream_type: 1, encode_mode: encoders(SUB), support_crop: false, support_eptz: false },
        { stream_type: 2, encode_mode: encoders(SUB.slice(1)), support_crop: false, support_eptz: false },
      ],
    },
  ],
};

export type StreamDetail = Record<string, unknown> & { stream_info: Array<Record<string, unknown>> };

/** A channel's stream settings before anyone set them: `encode` is what its camera sends (H.265 cameras are common). */
export function defaultDetail(encode: 'H.264' | 'H.265' = 'H.264'): StreamDetail {
  const stream = (stream_type: number, resolution: string, bit_rate: number, definition: string) => ({
    stream_type,
    encode_type: encode,
    resolution,
    frame_rate: 25,
    bit_rate_type: 0,
    bit_rate,
    definition,
    intelligence_encoding_open: false,
    intelligence_encoding_level: 1,
    slice_encoding_open: false,
    layered_encoding_open: false,
    profile: 0,
    i_frame_interval: 50,
    jpeg_quality: 0,
    bit_rate_mode: 1,
    pic_quality: 0,
  });
  return {
    stream_num: 3,
    max_frame_rate: 25,
    corridor_mode_open: false,
    mirror_mode: 0,
    variable_bit_rate_open: false,
    variable_bit_rate: 1,
    variable_frame_rate_open: false,
    variable_frame_rate: 1,
    stream_info: [
      stream(0, '1920*1080', 2048, '1080P'),
      stream(1, '640*360', 512, 'CIF'),
      stream(2, '640*360', 256, 'CIF'),
    ],
  };
}

const DEFINITION: Record<string, string> = {
  '2560*1440': '2K',
  '1920*1080': '1080P',
  '1280*720': '720p',
  '704*576': 'D1',
  '640*360': 'CIF',
};

/** 17.3: every value from the capability set; anything else is IVM.20150003 or IVM.10020001. */
export function applyStreamDetail(current: StreamDetail, b: Record<string, unknown>): StreamDetail {
  const ability = ABILITY.abilities[0]!;
  const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : fail('IVM.10020001'));
  if (int(b.max_frame_rate) !== ability.max_frame_rate) fail('IVM.20150003');
  const num = int(b.stream_num);
  if (num < 1 || num > ability.stream_count) fail('IVM.20150003');
  if (!Array.isArray(b.stream_info) || b.stream_info.length === 0) fail('IVM.10020001');
  const optional = (v: unknown, min: number, max: number) =>
    v === undefined ||
    v === 0 ||
    (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) ||
    fail('IVM.10020001');
  const next: StreamDetail = { ...current, stream_info: current.stream_info.map((s) => ({ ...s })) };
  for (const raw of b.stream_info as Array<Record<string, unknown>>) {
    const type = int(raw?.stream_type);
    const cap = ability.stream_info.find((s) => s.stream_type === type) ?? fail('IVM.20150003');
    const enc = cap.encode_mode.find((e) => e.type === raw.encode_type) ?? fail('IVM.20150003');
    const target = next.stream_info.find((s) => s.stream_type === type)!;
    const resolution = (raw.resolution ?? target.resolution) as string;
    const r = enc.resolution.find((x) => x.type === resolution) ?? fail('IVM.20150003');
    if (raw.frame_rate !== undefined && !r.frame_rate.includes(String(raw.frame_rate))) fail('IVM.20150003');
    if (raw.bit_rate !== undefined) {
      const rate = int(raw.bit_rate);
      if (rate < r.bit_rate.begin || rate > r.bit_rate.end) fail('IVM.20150003');
    }
    if (raw.bit_rate_type !== undefined && raw.bit_rate_type !== 0 && raw.bit_rate_type !== 1) fail('IVM.10020001');
    optional(raw.intelligence_encoding_level, 1, 5);
    optional(raw.i_frame_interval, 1, 500);
    optional(raw.jpeg_quality, 1, 99);
    optional(raw.bit_rate_mode, 1, 2);
    optional(raw.pic_quality, 1, 6);
    if (raw.profile !== undefined && !(raw.encode_type === 'H.265' ? [0] : [0, 1, 2]).includes(raw.profile as number))
      fail('IVM.20150003');
    Object.assign(target, Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'definition')), {
      resolution,
      definition: DEFINITION[resolution] ?? 'CIF',
    });
  }
  for (const k of ['corridor_mode_open', 'variable_bit_rate_open', 'variable_frame_rate_open'])
    if (b[k] !== undefined) next[k] = b[k] === true;
  if (b.mirror_mode !== undefined)
    next.mirror_mode = [0, 1, 2, 3].includes(b.mirror_mode as number) ? b.mirror_mode : fail('IVM.10020001');
  next.stream_num = num;
  return next;
}
