/**
 * Floor-plan images as main keeps them: the type read from the bytes (never from a file name), the
 * picture's size bounded, and an SVG rebuilt from an allow-list. Pure: bytes in, bytes or an error
 * out, so every hostile case is a unit test.
 */

export type PlanType = 'image/png' | 'image/jpeg' | 'image/svg+xml';

/** A plan refused, in a sentence the operator can act on. */
export class PlanImageError extends Error {}

/** Pictures wider or taller than this are refused: a small file can still decode to gigabytes. */
export const MAX_PLAN_SIDE = 16_384;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** PNG's width and height from its IHDR chunk, which the format puts first. */
function pngSize(b: Uint8Array): { width: number; height: number } {
  const ihdr = String.fromCharCode(...b.subarray(12, 16));
  if (b.length < 24 || ihdr !== 'IHDR') throw new PlanImageError('The PNG file is damaged (no IHDR header)');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

/** JPEG's width and height from its first start-of-frame marker (SOF0–SOF15 but DHT, JPG, DAC). */
function jpegSize(b: Uint8Array): { width: number; height: number } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) throw new PlanImageError('The JPEG file is damaged (a marker is missing)');
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    const length = v.getUint16(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: v.getUint16(i + 5), width: v.getUint16(i + 7) };
    if (length < 2) throw new PlanImageError('The JPEG file is damaged (a zero-length segment)');
    i += 2 + length;
  }
  throw new PlanImageError('The JPEG file is damaged (no frame header)');
}

function checkSide(kind: string, { width, height }: { width: number; height: number }): void {
  if (!width || !height) throw new PlanImageError(`The ${kind} picture has no width or height`);
  if (width > MAX_PLAN_SIDE || height > MAX_PLAN_SIDE)
    throw new PlanImageError(
      `The ${kind} picture is ${width} × ${height} pixels; plans of at most ${MAX_PLAN_SIDE} pixels a side are kept`,
    );
}

/**
 * What a plan file is, by its first bytes, and the bytes to keep: PNG and JPEG as they are (their
 * size checked), SVG rebuilt by `sanitizeSvg`. Anything else is refused, naming what was expected.
 */
export function readPlanImage(bytes: Uint8Array, maxBytes: number): { type: PlanType; bytes: Uint8Array } {
  if (bytes.length === 0) throw new PlanImageError('The file is empty');
  if (bytes.length > maxBytes)
    throw new PlanImageError(
      `The file is ${(bytes.length / 1048576).toFixed(1)} MB; plans of at most ${maxBytes / 1048576} MB are kept`,
    );
  if (PNG.every((x, i) => bytes[i] === x)) {
    checkSide('PNG', pngSize(bytes));
    return { type: 'image/png', bytes };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    checkSide('JPEG', jpegSize(bytes));
    return { type: 'image/jpeg', bytes };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new PlanImageError('The file is not a PNG, JPEG or SVG picture');
  }
  if (!/^\uFEFF?\s*</.test(text)) throw new PlanImageError('The file is not a PNG, JPEG or SVG picture');
  return { type: 'image/svg+xml', bytes: new TextEncoder().encode(sanitizeSvg(text).svg) };
}

// ---------------------------------------------------------------------------------------------
// SVG: a strict reader of the XML an SVG is, then a rebuild from what the allow-lists keep.

/** Static drawing only: no script, no foreignObject, no animation, no links, no style sheets. */
const ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'title',
  'desc',
  'symbol',
  'use',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'textPath',
  'image',
  'linearGradient',
  'radialGradient',
  'stop',
  'pattern',
  'clipPath',
  'mask',
  'marker',
]);

/** Geometry and presentation; no `on*`, no `style` sheets' url(), no namespaces but `xlink:href`. */
const PRESENTATION = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-opacity',
  'opacity',
  'clip-path',
  'clip-rule',
  'mask',
  'marker-start',
  'marker-mid',
  'marker-end',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'letter-spacing',
  'visibility',
  'display',
  'stop-color',
  'stop-opacity',
  'vector-effect',
  'color',
];
const ATTRIBUTES = new Set([
  ...PRESENTATION,
  'id',
  'class',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'dx',
  'dy',
  'd',
  'points',
  'width',
  'height',
  'viewBox',
  'preserveAspectRatio',
  'transform',
  'offset',
  'gradientUnits',
  'gradientTransform',
  'spreadMethod',
  'patternUnits',
  'patternContentUnits',
  'patternTransform',
  'clipPathUnits',
  'maskUnits',
  'maskContentUnits',
  'markerWidth',
  'markerHeight',
  'markerUnits',
  'refX',
  'refY',
  'orient',
  'href',
  'xlink:href',
  'version',
  'style',
]);
const STYLE_PROPERTIES = new Set(PRESENTATION);

export interface SanitizedSvg {
  svg: string;
  /** What was left out (element and attribute names, once each), for the log. */
  removed: string[];
}

interface Element {
  name: string;
  attrs: Array<[string, string]>;
  children: Array<Element | string>;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const MAX_DEPTH = 64;
const MAX_NODES = 200_000;

/** The five XML entities and character references; any other entity (a DTD's) is refused. */
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]\w*);|&/g, (m, ref: string | undefined) => {
    if (!ref) throw new PlanImageError('The SVG file is not well-formed XML (a bare “&”)');
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff))
        throw new PlanImageError('The SVG file has an invalid character reference');
      return String.fromCodePoint(code);
    }
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (!(ref in named)) throw new PlanImageError(`The SVG file uses the entity “&${ref};”, which plans may not`);
    return named[ref]!;
  });
}

/** The document's root element, read strictly: one root, tags balanced, no DTD, no processing instructions. */
export function parseXml(text: string): Element {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: Element[] = [];
  let root: Element | null = null;
  let nodes = 0;
  const fail = (why: string): never => {
    throw new PlanImageError(`The SVG file is not well-formed XML (${why})`);
  };
  const add = (n: Element | string) => {
    if (++nodes > MAX_NODES) throw new PlanImageError(`The SVG file has more than ${MAX_NODES} elements and texts`);
    const top = stack[stack.length - 1];
    if (top) top.children.push(n);
    else if (typeof n === 'string') {
      if (n.trim()) fail('text outside the root element');
    } else if (root) fail('a second root element');
    else root = n;
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      add(decodeEntities(text.slice(i)));
      break;
    }
    if (lt > i) add(decodeEntities(text.slice(i, lt)));
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) fail('an unclosed comment');
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      if (end < 0) fail('an unclosed CDATA section');
      if (!stack.length) fail('CDATA outside the root element');
      add(text.slice(i + 9, end));
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) fail('an unclosed declaration');
      if (!/^<\?xml\s/.test(text.slice(i, end + 2)) || root || stack.length)
        throw new PlanImageError('The SVG file has a processing instruction, which plans may not');
      i = end + 2;
    } else if (text.startsWith('<!', i)) {
      throw new PlanImageError('The SVG file has a DOCTYPE or entity declaration, which plans may not');
    } else if (text[i + 1] === '/') {
      const m = NAME.exec(text.slice(i + 2, i + 2 + 256));
      const close = text.indexOf('>', i);
      if (!m || close < 0) fail('a broken end tag');
      const top = stack.pop();
      if (!top || top.name !== m![0] || text.slice(i + 2 + m![0].length, close).trim()) fail(`a stray </${m![0]}>`);
      i = close + 1;
    } else {
      const m = NAME.exec(text.slice(i + 1, i + 1 + 256));
      if (!m) fail('a “<” that starts no tag');
      const el: Element = { name: m![0], attrs: [], children: [] };
      i += 1 + m![0].length;
      const seen = new Set<string>();
      for (;;) {
        const ws = /^\s*/.exec(text.slice(i, i + 4096))![0].length;
        i += ws;
        if (text.startsWith('/>', i) || text[i] === '>') break;
        if (!ws) fail(`attributes of <${el.name}> run together`);
        const a = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(text.slice(i, i + 1_048_576));
        if (!a) fail(`a broken attribute in <${el.name}>`);
        if (seen.has(a![1]!)) fail(`the attribute ${a![1]} twice in <${el.name}>`);
        seen.add(a![1]!);
        el.attrs.push([a![1]!, decodeEntities(a![3] ?? a![4] ?? '')]);
        i += a![0].length;
      }
      add(el);
      if (text[i] === '/') i += 2;
      else {
        i += 1;
        if (stack.length >= MAX_DEPTH) throw new PlanImageError(`The SVG file nests deeper than ${MAX_DEPTH} levels`);
        stack.push(el);
      }
    }
  }
  if (stack.length) fail(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (!root) fail('no root element');
  return root!;
}

/** A reference that stays inside the document: `#id`, or `url(#id)` in a paint or clip. */
const LOCAL_URL = /^url\(\s*['"]?#[\w.:-]+['"]?\s*\)$/;
const RASTER_DATA = /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=\s]+$/;

/** Whether a value may stay: nothing that reaches outside the file or runs anything. */
function safeValue(name: string, value: string, element: string): boolean {
  if (name === 'href' || name === 'xlink:href') {
    const v = value.trim();
    if (/^#[\w.:-]+$/.test(v)) return true;
    return element === 'image' && RASTER_DATA.test(v);
  }
  // Control characters and escapes could hide a word from the checks below.
  if ([...value].some((c) => c === '\\' || (c < ' ' && c !== '\t' && c !== '\n' && c !== '\r'))) return false;
  if (/(javascript|vbscript|data)\s*:|expression\s*\(|@import|behavior\s*:/i.test(value)) return false;
  if (/url\s*\(/i.test(value)) return LOCAL_URL.test(value.trim());
  return true;
}

/** A `style` attribute kept declaration by declaration: presentation properties with safe values only. */
function sanitizeStyle(style: string, element: string, removed: Set<string>): string {
  const kept: string[] = [];
  for (const decl of style.split(';')) {
    if (!decl.trim()) continue;
    const colon = decl.indexOf(':');
    const prop = decl.slice(0, colon).trim().toLowerCase();
    const value = decl.slice(colon + 1).trim();
    if (colon > 0 && STYLE_PROPERTIES.has(prop) && !/[;{}<>]/.test(value) && safeValue(prop, value, element))
      kept.push(`${prop}:${value}`);
    else removed.add(`style ${prop || decl.trim().slice(0, 32)}`);
  }
  return kept.join(';');
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

function rebuild(el: Element, removed: Set<string>, root: boolean): string {
  const attrs: string[] = root ? ['xmlns="http://www.w3.org/2000/svg"'] : [];
  for (const [rawName, value] of el.attrs) {
    // SVG 2's plain href needs no xlink namespace declared.
    const name = rawName === 'xlink:href' ? 'href' : rawName;
    if (rawName === 'xmlns' || rawName.startsWith('xmlns:')) continue;
    if (!ATTRIBUTES.has(name) || (name !== 'style' && !safeValue(name, value, el.name))) {
      removed.add(`@${rawName}`);
      continue;
    }
    const v = name === 'style' ? sanitizeStyle(value, el.name, removed) : value;
    if (v || name !== 'style') attrs.push(`${name}="${escapeAttr(v)}"`);
  }
  let inner = '';
  for (const c of el.children) {
    if (typeof c === 'string') inner += escapeText(c);
    else if (ELEMENTS.has(c.name)) inner += rebuild(c, removed, false);
    else removed.add(`<${c.name}>`);
  }
  const open = `<${el.name}${attrs.length ? ` ${attrs.join(' ')}` : ''}`;
  return inner ? `${open}>${inner}</${el.name}>` : `${open}/>`;
}

/**
 * An SVG rebuilt from its allow-lists: elements outside them go with everything inside them
 * (script, style, foreignObject, a, animate, set, iframe, metadata, editors' own), attributes outside
 * them go (every `on*`), and so does any value reaching outside the file (`http:`, `javascript:`,
 * `url(http…)`); only local `#id` references and embedded PNG/JPEG pictures stay.
 */
export function sanitizeSvg(text: string): SanitizedSvg {
  const root = parseXml(text);
  if (root.name !== 'svg')
    throw new PlanImageError(`The file's root element is <${root.name}>, not <svg>: it is not an SVG picture`);
  const removed = new Set<string>();
  const svg = `<?xml version="1.0" encoding="UTF-8"?>\n${rebuild(root, removed, true)}`;
  return { svg, removed: [...removed] };
}
