/**
 * The evidence manifest, `vigil-evidence/1`: a contract that tools outside Vigil check with their
 * own code, so its shape and key order are fixed here and nowhere else.
 *
 * Every file the folder holds as evidence is listed with its size and SHA-256. Files that are not
 * clips take the camera, source and host of the clip (bookmark, selection) they belong to and no
 * request ids (no platform was asked for them): a note (`<clip>.note.txt`) its range; a snapshot
 * (`<clip>.snapshot.jpg`, a picture taken from the clip) its moment as both start and end. `verify.html`, `public-key.pem`, `manifest.json` and
 * `manifest.sig` are the means of checking and are not listed.
 */

export const EVIDENCE_FORMAT = 'vigil-evidence/1';

export interface ManifestCamera {
  /** The account's label in Vigil. */
  account: string;
  /** The platform id: huawei-ivm, huawei-vis, tencent-ivc, aliyun-vcs. */
  platform: string;
  channelId: string;
  name: string;
}

export interface ManifestFile {
  /** Relative to the folder, `/` between parts. */
  name: string;
  bytes: number;
  /** Lowercase hex. */
  sha256: string;
  camera: ManifestCamera;
  /** ISO-8601 with the local offset. */
  start: string;
  end: string;
  source: 'cloud' | 'device';
  /** The platform host (and port) the recording came from: never a URL, never its signed query. */
  host: string;
  requestIds: string[];
}

export interface Manifest {
  format: typeof EVIDENCE_FORMAT;
  created: string;
  case: string;
  note: string;
  operator: { seat: string; user: string };
  files: ManifestFile[];
}

const pad = (n: number, w = 2) => String(Math.trunc(Math.abs(n))).padStart(w, '0');

/**
 * `2026-11-26T21:31:00.000+01:00`: the wall time where the export was made, with its offset (UTC
 * is `+00:00`, never `Z`, so every time in a manifest reads the same way). `offsetMin` is east of
 * UTC; by default the machine's zone at that moment.
 */
export function isoWithOffset(ms: number, offsetMin = -new Date(ms).getTimezoneOffset()): string {
  const d = new Date(ms + offsetMin * 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}` +
    `${sign}${pad(offsetMin / 60)}:${pad(offsetMin % 60)}`
  );
}

/**
 * The manifest's exact bytes: keys in the documented order, two-space indent, UTF-8, a final
 * newline. The signature is over these bytes, so they are made once and written as they are.
 */
export function manifestBytes(m: Manifest): Buffer {
  const ordered: Manifest = {
    format: m.format,
    created: m.created,
    case: m.case,
    note: m.note,
    operator: { seat: m.operator.seat, user: m.operator.user },
    files: m.files.map((f) => ({
      name: f.name,
      bytes: f.bytes,
      sha256: f.sha256,
      camera: {
        account: f.camera.account,
        platform: f.camera.platform,
        channelId: f.camera.channelId,
        name: f.camera.name,
      },
      start: f.start,
      end: f.end,
      source: f.source,
      host: f.host,
      requestIds: [...f.requestIds],
    })),
  };
  return Buffer.from(`${JSON.stringify(ordered, null, 2)}\n`, 'utf8');
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$/;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/**
 * A file name a manifest may list: relative, `/`-separated, no `.`/`..` part, no drive or
 * backslash, so checking it can never read outside the folder.
 */
export function safeRelativeName(name: string): boolean {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.includes('\0') || /^[a-z]:/i.test(name))
    return false;
  return name.split('/').every((p) => p !== '' && p !== '.' && p !== '..');
}

/**
 * Reads a manifest and checks its shape against `vigil-evidence/1`; throws an Error naming the
 * first field that does not fit. (Unknown keys are ignored: a later version may add some.)
 */
export function parseManifest(bytes: Uint8Array): Manifest {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new Error(`manifest.json is not UTF-8 JSON (${(e as Error).message})`);
  }
  const bad = (field: string) => new Error(`manifest.json: ${field} is missing or not valid`);
  if (!isObj(v)) throw bad('the top level');
  if (v.format !== EVIDENCE_FORMAT) throw new Error(`manifest.json: format is not ${EVIDENCE_FORMAT}`);
  if (!isStr(v.created) || !ISO.test(v.created)) throw bad('created');
  if (!isStr(v.case)) throw bad('case');
  if (!isStr(v.note)) throw bad('note');
  if (!isObj(v.operator) || !isStr(v.operator.seat) || !isStr(v.operator.user)) throw bad('operator');
  if (!Array.isArray(v.files)) throw bad('files');
  v.files.forEach((f: unknown, i) => {
    const at = `files[${i}]`;
    if (!isObj(f)) throw bad(at);
    if (!isStr(f.name) || !safeRelativeName(f.name)) throw bad(`${at}.name`);
    if (typeof f.bytes !== 'number' || !Number.isSafeInteger(f.bytes) || f.bytes < 0) throw bad(`${at}.bytes`);
    if (!isStr(f.sha256) || !/^[0-9a-f]{64}$/.test(f.sha256)) throw bad(`${at}.sha256`);
    const c = f.camera;
    if (!isObj(c) || !isStr(c.account) || !isStr(c.platform) || !isStr(c.channelId) || !isStr(c.name))
      throw bad(`${at}.camera`);
    if (!isStr(f.start) || !ISO.test(f.start)) throw bad(`${at}.start`);
    if (!isStr(f.end) || !ISO.test(f.end)) throw bad(`${at}.end`);
    if (f.source !== 'cloud' && f.source !== 'device') throw bad(`${at}.source`);
    if (!isStr(f.host) || /[/?#@]/.test(f.host)) throw bad(`${at}.host`);
    if (!Array.isArray(f.requestIds) || !f.requestIds.every(isStr)) throw bad(`${at}.requestIds`);
  });
  return v as unknown as Manifest;
}
