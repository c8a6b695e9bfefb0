import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_PLAN_SIDE, PlanImageError, parseXml, readPlanImage, sanitizeSvg } from '../../main/formats/map-image';
import { png } from '../helpers/images';

const MB = 1024 * 1024;
const svgOf = (body: string, attrs = '') =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"${attrs}>${body}</svg>`;
const refuses = (fn: () => unknown, re: RegExp) =>
  assert.throws(fn, (e: Error) => e instanceof PlanImageError && re.test(e.message));

test('PNG and JPEG are known by their bytes, whatever the name says, and kept as they are', () => {
  const p = png(40, 30);
  assert.equal(readPlanImage(p, MB).type, 'image/png');
  assert.equal(readPlanImage(p, MB).bytes, p);
  // A minimal JPEG: SOI, an APP0 segment, then SOF0 with height 30 and width 40.
  const jpeg = Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x1e, 0x00, 0x28, 0x01, 0x01,
    0x11, 0x00, 0xff, 0xd9,
  ]);
  assert.equal(readPlanImage(jpeg, MB).type, 'image/jpeg');
});

test('empty, oversized, GIF, binary, truncated and gigantic pictures are refused in words', () => {
  refuses(() => readPlanImage(new Uint8Array(), MB), /empty/);
  refuses(() => readPlanImage(png(10, 10, true), 100), /MB; plans of at most/);
  refuses(() => readPlanImage(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), MB), /not a PNG, JPEG or SVG/);
  refuses(() => readPlanImage(Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x81]), MB), /not a PNG, JPEG or SVG/);
  refuses(() => readPlanImage(Buffer.from('just some text'), MB), /not a PNG, JPEG or SVG/);
  refuses(() => readPlanImage(png(10, 10).subarray(0, 14), MB), /damaged/);
  refuses(() => readPlanImage(png(MAX_PLAN_SIDE + 1, 1), 64 * MB), /pixels a side/);
  refuses(
    () => readPlanImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0, 0, 0, 0, 0, 0]), MB),
    /JPEG file is damaged/,
  );
});

test('a plain floor plan survives: shapes, text, gradients, local references, styles of presentation', () => {
  const input = `<?xml version="1.0" encoding="UTF-8"?>
<!-- drawn in a CAD tool -->
${svgOf(
  `<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>
<g transform="translate(1 2)"><rect x="0" y="0" width="10" height="5" fill="url(#g)" style="stroke:#000;stroke-width:2"/>
<text x="1" y="2" font-size="4">Lobby &amp; desk &#x95E8;</text><use href="#g"/><use xlink:href="#g"/></g>`,
  ' xmlns:xlink="http://www.w3.org/1999/xlink"',
)}`;
  const { svg, removed } = sanitizeSvg(input);
  assert.deepEqual(removed, []);
  assert.match(
    svg,
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 100 50">/,
  );
  assert.match(svg, /fill="url\(#g\)" style="stroke:#000;stroke-width:2"/);
  assert.match(svg, />Lobby &amp; desk 门<\/text>/);
  assert.match(svg, /<use href="#g"\/><use href="#g"\/>/);
  // What comes out reads again as the same thing: the rebuild is a fixed point.
  assert.equal(sanitizeSvg(svg).svg, svg);
});

test('hostile SVG: scripts, handlers, foreignObject, links, animation, styles and external references are removed', () => {
  const hostile = svgOf(
    `<script>alert(1)</script><script><![CDATA[alert(2)]]></script>
<foreignObject><iframe src="https://evil.example"/></foreignObject>
<a href="javascript:alert(3)"><rect width="1" height="1"/></a>
<rect onload="alert(4)" onclick="x()" width="1" height="1" fill="url(https://evil.example/x.svg#p)"/>
<image href="https://evil.example/track.png" width="1" height="1"/>
<image href="data:image/svg+xml;base64,PHN2Zy8+" width="1" height="1"/>
<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>
<use href="https://evil.example/sprite.svg#a"/>
<style>@import url(https://evil.example/a.css); rect { fill: red }</style>
<animate attributeName="href" to="javascript:alert(5)"/><set attributeName="onclick" to="alert(6)"/>
<circle r="1" style="fill:url(http://evil.example/p);stroke:red;behavior:url(x.htc)"/>
<path d="M0 0" filter="url(#f)" STYLE="x" transform="expression(alert(7))"/>`,
    ' onload="alert(0)" xmlns:ev="http://www.w3.org/2001/xml-events"',
  );
  const { svg, removed } = sanitizeSvg(hostile);
  for (const bad of [
    'script',
    'alert',
    'foreignObject',
    'iframe',
    'evil.example',
    'javascript',
    'onload',
    'onclick',
    'animate',
    '<set',
    '<style',
    '@import',
    'svg+xml;base64',
    'expression',
    'behavior',
    '<a ',
    'filter',
  ])
    assert.ok(!svg.includes(bad), `${bad} removed: ${svg}`);
  assert.match(
    svg,
    /<image href="data:image\/png;base64,iVBORw0KGgo=" width="1" height="1"\/>/,
    'an embedded PNG stays',
  );
  assert.match(svg, /<circle r="1" style="stroke:red"\/>/);
  for (const r of [
    '<script>',
    '<foreignObject>',
    '<a>',
    '@onload',
    '@onclick',
    '<style>',
    '<animate>',
    '<set>',
    '@filter',
  ])
    assert.ok(removed.includes(r), `${r} reported`);
});

test('DTDs, entities, processing instructions and malformed XML are refused, not repaired', () => {
  refuses(() => sanitizeSvg('<!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>'), /DOCTYPE or entity/);
  refuses(() => sanitizeSvg('<svg>&x;</svg>'), /entity/);
  refuses(
    () => sanitizeSvg('<svg><?xml-stylesheet href="https://evil.example/a.css"?></svg>'),
    /processing instruction/,
  );
  refuses(() => sanitizeSvg('<?xml-stylesheet href="a.css"?><svg/>'), /processing instruction/);
  refuses(() => sanitizeSvg('<svg><g></svg>'), /not well-formed/);
  refuses(() => sanitizeSvg('<svg><rect a="1" a="2"/></svg>'), /twice/);
  refuses(() => sanitizeSvg('<svg><rect width="1"height="1"/></svg>'), /run together/);
  refuses(() => sanitizeSvg('<svg/><svg/>'), /second root/);
  refuses(() => sanitizeSvg('<svg><rect width="<"/></svg>'), /broken attribute/);
  refuses(() => sanitizeSvg('<svg>a & b</svg>'), /bare/);
  refuses(() => sanitizeSvg('<svg>&#0;</svg>'), /character reference/);
  refuses(() => sanitizeSvg('<html><body/></html>'), /not <svg>/);
  refuses(() => sanitizeSvg(`${'<g>'.repeat(100)}`), /deeper/);
  refuses(() => parseXml('hello'), /text outside the root/);
  refuses(() => parseXml('<!-- only a comment -->'), /no root/);
});

test('an SVG upload is stored rebuilt (sanitised), never as sent', () => {
  const out = readPlanImage(Buffer.from(`\uFEFF  ${svgOf('<script>x</script><rect width="1" height="1"/>')}`), MB);
  assert.equal(out.type, 'image/svg+xml');
  const text = new TextDecoder().decode(out.bytes);
  assert.ok(!text.includes('script'));
  assert.match(text, /<rect width="1" height="1"\/>/);
});
