/**
 * verify.html, written into every evidence folder: a page with no network access (its CSP allows
 * nothing but its own inline script and style) that checks, in the receiver's browser, what
 * `npm run verify-evidence` checks: manifest.sig over manifest.json's exact bytes with WebCrypto
 * Ed25519, then each listed file's size and SHA-256. It shows the key's fingerprint (SHA-256 of
 * the SPKI DER, hex) so the receiver can compare it with the one the supervisor gave them by
 * another channel, and compares it for them when they paste that one.
 */
export const VERIFY_PAGE_TITLE = 'Vigil evidence verifier';

/**
 * SHA-256 that takes its input in pieces (WebCrypto's digest takes one buffer, so a clip of
 * gigabytes would have to be read into memory whole). Used for files above 64 MB; constants from
 * the primes' roots, as FIPS 180-4 defines them. A function of its own so a test can run it.
 */
export const SHA256_JS = String.raw`
function Sha256() {
  var primes = [], n = 2;
  while (primes.length < 64) { var p = true; for (var d = 2; d * d <= n; d++) if (n % d === 0) { p = false; break; } if (p) primes.push(n); n++; }
  var frac = function (x) { return ((x - Math.floor(x)) * 4294967296) >>> 0; };
  this.k = new Uint32Array(primes.map(function (q) { return frac(Math.cbrt(q)); }));
  this.h = new Uint32Array(primes.slice(0, 8).map(function (q) { return frac(Math.sqrt(q)); }));
  this.w = new Uint32Array(64);
  this.buf = new Uint8Array(64);
  this.fill = 0;
  this.total = 0;
}
Sha256.prototype.block = function (b, o) {
  var w = this.w, k = this.k, h = this.h, i, t1, t2;
  for (i = 0; i < 16; i++) w[i] = (b[o + 4 * i] << 24) | (b[o + 4 * i + 1] << 16) | (b[o + 4 * i + 2] << 8) | b[o + 4 * i + 3];
  for (i = 16; i < 64; i++) {
    var x = w[i - 15], y = w[i - 2];
    var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  var a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (i = 0; i < 64; i++) {
    var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    t1 = (hh + S1 + ((e & f) ^ (~e & g)) + k[i] + w[i]) | 0;
    var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    t2 = (S0 + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
    hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
  }
  h[0] += a; h[1] += bb; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
};
Sha256.prototype.update = function (data) {
  var i = 0;
  this.total += data.length;
  if (this.fill) {
    while (this.fill < 64 && i < data.length) this.buf[this.fill++] = data[i++];
    if (this.fill < 64) return;
    this.block(this.buf, 0);
    this.fill = 0;
  }
  for (; i + 64 <= data.length; i += 64) this.block(data, i);
  while (i < data.length) this.buf[this.fill++] = data[i++];
};
Sha256.prototype.hex = function () {
  var bits = this.total * 8;
  var tail = new Uint8Array(this.fill < 56 ? 64 : 128);
  tail.set(this.buf.subarray(0, this.fill));
  tail[this.fill] = 0x80;
  var dv = new DataView(tail.buffer);
  dv.setUint32(tail.length - 8, Math.floor(bits / 4294967296));
  dv.setUint32(tail.length - 4, bits >>> 0);
  for (var o = 0; o < tail.length; o += 64) this.block(tail, o);
  return Array.from(this.h).map(function (v) { return v.toString(16).padStart(8, '0'); }).join('');
};
`;

const script = String.raw`
'use strict';
var picked = {};
function $(id) { return document.getElementById(id); }
function hex(buf) {
  return Array.from(new Uint8Array(buf)).map(function (b) { return b.toString(16).padStart(2, '0'); }).join('');
}
async function fileHash(file) {
  // Small files in one WebCrypto call; large ones in 8 MB pieces (#stream forces it, for tests).
  if (file.size <= 64 * 1024 * 1024 && location.hash !== '#stream')
    return hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
  var sha = new Sha256();
  for (var pos = 0; pos < file.size; pos += 8 * 1024 * 1024)
    sha.update(new Uint8Array(await file.slice(pos, pos + 8 * 1024 * 1024).arrayBuffer()));
  return sha.hex();
}
function grouped(h) { return h.replace(/(.{4})(?=.)/g, '$1 '); }
function b64(text) {
  var bin = atob(text.replace(/\s+/g, ''));
  var out = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
function pemDer(pem) {
  var m = /-----BEGIN PUBLIC KEY-----([\s\S]+?)-----END PUBLIC KEY-----/.exec(pem);
  if (!m) throw new Error('public-key.pem is not an SPKI public key');
  return b64(m[1]);
}
function row(name, status, detail) {
  var tr = document.createElement('tr');
  tr.className = 's-' + status;
  tr.setAttribute('data-name', name);
  tr.setAttribute('data-status', status);
  var a = document.createElement('td'); a.textContent = status;
  var b = document.createElement('td'); b.textContent = name;
  var c = document.createElement('td'); c.textContent = detail || '';
  tr.appendChild(a); tr.appendChild(b); tr.appendChild(c);
  $('files').appendChild(tr);
}
function say(id, text, cls) { var el = $(id); el.textContent = text; el.className = cls || ''; }
function add(path, file) {
  picked[path] = file;
}
function stripTop(paths) {
  // A dropped or chosen folder: names are relative to it, as the manifest lists them.
  var names = Object.keys(paths);
  if (!names.length || !names.every(function (n) { return n.indexOf('/') > 0; })) return paths;
  var top = names[0].split('/')[0];
  if (!names.every(function (n) { return n.split('/')[0] === top; })) return paths;
  var out = {};
  names.forEach(function (n) { out[n.slice(top.length + 1)] = paths[n]; });
  return out;
}
function walk(entry, prefix) {
  return new Promise(function (resolve) {
    if (entry.isFile) {
      entry.file(function (f) { add(prefix + entry.name, f); resolve(); }, function () { resolve(); });
    } else if (entry.isDirectory) {
      var reader = entry.createReader();
      var all = [];
      var more = function () {
        reader.readEntries(function (batch) {
          if (!batch.length) {
            Promise.all(all.map(function (e) { return walk(e, prefix + entry.name + '/'); })).then(function () { resolve(); });
          } else { all = all.concat(Array.from(batch)); more(); }
        }, function () { resolve(); });
      };
      more();
    } else resolve();
  });
}
async function check() {
  $('files').textContent = '';
  var files = stripTop(picked);
  say('verdict', 'Checking…');
  var need = ['manifest.json', 'manifest.sig', 'public-key.pem'];
  var lacking = need.filter(function (n) { return !files[n]; });
  if (lacking.length) {
    say('verdict', 'Cannot check: ' + lacking.join(', ') + ' not among the dropped files. Drop the whole evidence folder, or all of its files.', 'bad');
    $('verdict').setAttribute('data-ok', 'false');
    return;
  }
  var manifestBytes = new Uint8Array(await files['manifest.json'].arrayBuffer());
  var sigText = await files['manifest.sig'].text();
  var pem = await files['public-key.pem'].text();
  var sigOk = false;
  var fp = '';
  try {
    var der = pemDer(pem);
    fp = hex(await crypto.subtle.digest('SHA-256', der));
    var key = await crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']);
    sigOk = await crypto.subtle.verify({ name: 'Ed25519' }, key, b64(sigText), manifestBytes);
  } catch (e) {
    say('signature', 'The signature could not be checked: ' + (e && e.message ? e.message : e) + ' (this browser may lack WebCrypto Ed25519: use a current Chromium, Firefox or Safari, or npm run verify-evidence).', 'bad');
  }
  $('fingerprint').textContent = fp ? grouped(fp) : 'unreadable';
  $('fingerprint').setAttribute('data-hex', fp);
  compare();
  if (fp) say('signature', sigOk ? 'Manifest signature valid' : 'Manifest signature INVALID: manifest.json was changed or was not signed by this key', sigOk ? 'ok' : 'bad');
  $('signature').setAttribute('data-valid', String(sigOk));
  var manifest = null;
  try {
    manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(manifestBytes));
    if (!manifest || manifest.format !== 'vigil-evidence/1' || !Array.isArray(manifest.files)) throw new Error('not a vigil-evidence/1 manifest');
  } catch (e) {
    say('verdict', 'manifest.json cannot be read: ' + e.message, 'bad');
    $('verdict').setAttribute('data-ok', 'false');
    return;
  }
  $('case').textContent = 'Case ' + manifest.case + ' · created ' + manifest.created + ' · by ' + (manifest.operator && manifest.operator.user) + ' at seat ' + (manifest.operator && manifest.operator.seat) + (manifest.note ? ' · ' + manifest.note : '');
  var allOk = sigOk;
  for (var i = 0; i < manifest.files.length; i++) {
    var f = manifest.files[i];
    var file = files[f.name];
    var detail = f.camera ? f.camera.name + ' · ' + f.start + ' – ' + f.end : '';
    if (!file) { row(f.name, 'MISSING', detail); allOk = false; continue; }
    var digest = await fileHash(file);
    var ok = file.size === f.bytes && digest === f.sha256;
    if (!ok) allOk = false;
    row(f.name, ok ? 'OK' : 'MISMATCH', detail);
  }
  say('verdict', allOk ? 'Evidence verified: the signature and every file hold.' : 'Evidence NOT verified: see the lines marked above.', allOk ? 'ok' : 'bad');
  $('verdict').setAttribute('data-ok', String(allOk));
}
function compare() {
  var want = $('expected').value.replace(/[\s:]/g, '').toLowerCase();
  var got = $('fingerprint').getAttribute('data-hex') || '';
  if (!want || !got) { say('match', ''); return; }
  say('match', want === got ? 'matches the fingerprint you were given' : 'does NOT match the fingerprint you were given', want === got ? 'ok' : 'bad');
}
async function take(list, items) {
  picked = {};
  if (items && items.length && items[0].webkitGetAsEntry) {
    var entries = Array.from(items).map(function (it) { return it.webkitGetAsEntry(); }).filter(Boolean);
    await Promise.all(entries.map(function (e) { return walk(e, ''); }));
  } else {
    Array.from(list).forEach(function (f) { add(f.webkitRelativePath || f.name, f); });
  }
  await check();
}
window.addEventListener('DOMContentLoaded', function () {
  var zone = $('drop');
  zone.addEventListener('dragover', function (e) { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', function () { zone.classList.remove('over'); });
  zone.addEventListener('drop', function (e) { e.preventDefault(); zone.classList.remove('over'); take(e.dataTransfer.files, e.dataTransfer.items); });
  $('pick').addEventListener('change', function (e) { take(e.target.files, null); });
  $('pickDir').addEventListener('change', function (e) { take(e.target.files, null); });
  $('expected').addEventListener('input', compare);
});
`;

export function verifyPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${VERIFY_PAGE_TITLE}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; background: #141414; color: #e6e6e6; }
h1 { font-size: 20px; margin: 0 0 8px; }
#drop { border: 2px dashed #555; border-radius: 8px; padding: 28px; text-align: center; margin: 16px 0; }
#drop.over { border-color: #1677ff; background: #1677ff22; }
code, #fingerprint { font-family: ui-monospace, monospace; }
table { border-collapse: collapse; width: 100%; margin-top: 12px; }
td { border-top: 1px solid #333; padding: 4px 8px; vertical-align: top; }
.ok, .s-OK td:first-child { color: #52c41a; }
.bad, .s-MISMATCH td:first-child, .s-MISSING td:first-child { color: #ff4d4f; font-weight: 600; }
#verdict { font-size: 16px; font-weight: 600; margin-top: 12px; }
input[type=text] { width: 36em; font-family: ui-monospace, monospace; background: #1f1f1f; color: inherit; border: 1px solid #444; padding: 3px 6px; }
</style>
</head>
<body>
<h1>${VERIFY_PAGE_TITLE}</h1>
<p>Checks this evidence folder on this computer, without any network: the Ed25519 signature of <code>manifest.json</code> (in <code>manifest.sig</code>) with <code>public-key.pem</code>, then the size and SHA-256 of every file the manifest lists.</p>
<div id="drop">Drop the evidence folder (or all of its files) here<br><br>
<label>or choose the files <input id="pick" type="file" multiple></label> &nbsp;
<label>or the folder <input id="pickDir" type="file" webkitdirectory multiple></label></div>
<p>Key fingerprint (SHA-256 of the SPKI DER): <span id="fingerprint">–</span></p>
<p><label>Fingerprint you were given by the sender: <input id="expected" type="text" autocomplete="off"></label> <span id="match"></span></p>
<p>Only a fingerprint received by another channel (in person, by phone) proves who signed: a valid signature proves only that nothing changed since the key in this folder signed it.</p>
<p id="signature"></p>
<p id="case"></p>
<table><tbody id="files"></tbody></table>
<p id="verdict"></p>
<script>${SHA256_JS}${script}</script>
</body>
</html>
`;
}
