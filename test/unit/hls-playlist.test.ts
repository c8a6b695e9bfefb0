import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPlaylistResponse, isPrivateAddress, resourceName, rewritePlaylist } from '../../main/media/hls-playlist';

const map = (abs: string) => `/r/${encodeURIComponent(abs)}`;

test('every address a media playlist names goes through the map, resolved against the playlist', () => {
  const text = [
    '#EXTM3U',
    '#EXT-X-TARGETDURATION:1',
    '#EXT-X-KEY:METHOD=AES-128,URI="key.bin",IV=0x1',
    '#EXT-X-MAP:URI="init.mp4"',
    '#EXTINF:1.0,',
    'seg1.ts?token=abc',
    '#EXTINF:1.0,',
    'https://cdn.example.com/live/seg2.ts',
    '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="/abs/part3.m4s"',
    '',
  ].join('\r\n');
  const out = rewritePlaylist(text, 'https://plat.example.com/live/cam/index.m3u8?sig=1', map);
  const lines = out.split('\n');
  assert.equal(lines[0], '#EXTM3U');
  assert.equal(lines[2], `#EXT-X-KEY:METHOD=AES-128,URI="${map('https://plat.example.com/live/cam/key.bin')}",IV=0x1`);
  assert.equal(lines[3], `#EXT-X-MAP:URI="${map('https://plat.example.com/live/cam/init.mp4')}"`);
  assert.equal(lines[5], map('https://plat.example.com/live/cam/seg1.ts?token=abc'), "the segment's own query kept");
  assert.equal(lines[7], map('https://cdn.example.com/live/seg2.ts'));
  assert.equal(lines[8], `#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${map('https://plat.example.com/abs/part3.m4s')}"`);
  assert.ok(!/plat\.example|cdn\.example/.test(out.replace(/\/r\/[^\s"]+/g, '')), 'no upstream address left');
});

test('a master playlist: variants and renditions are mapped; tags without addresses are kept', () => {
  const text =
    '\uFEFF#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="x",URI="audio/a.m3u8"\n' +
    '#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS="avc1.64001e"\nsub/index.m3u8\n';
  const out = rewritePlaylist(text, 'http://127.0.0.1:9/cam/master.m3u8', map);
  assert.match(out, /^#EXTM3U\n/);
  assert.ok(out.includes(`URI="${map('http://127.0.0.1:9/cam/audio/a.m3u8')}"`));
  assert.ok(out.includes('#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS="avc1.64001e"'));
  assert.ok(out.includes(map('http://127.0.0.1:9/cam/sub/index.m3u8')));
});

test('a body that is not a playlist, or an address that does not resolve, is refused with the reason', () => {
  assert.throws(() => rewritePlaylist('<html>login</html>', 'http://h/x.m3u8', map), /not an HLS playlist/);
  assert.throws(
    () => rewritePlaylist('#EXTM3U\n#EXTINF:1,\nhttp://[bad/seg.ts\n', 'http://h/x.m3u8', map),
    /does not resolve \(line 3\)/,
  );
});

test('only http(s) addresses are relayed: any other scheme refuses the playlist, naming the scheme and line, never the address', () => {
  // ffmpeg opens `crypto+http://…` itself (past the relay), `file:` reads this machine; data: works in
  // neither consumer (the page's connect-src and the transcoder's protocol whitelist refuse it).
  const refused: Array<[string, RegExp]> = [
    ['#EXTINF:1,\ncrypto+http://169.254.169.254/seg.ts?token=S3CRET\n', /crypto\+http: address \(line 3\)/],
    ['#EXTINF:1,\ncrypto:seg.ts\n', /crypto: address \(line 3\)/],
    ['#EXTINF:1,\nfile:///etc/passwd\n', /file: address \(line 3\)/],
    ['#EXT-X-KEY:METHOD=AES-128,URI="crypto+https://10.0.0.1/k?token=S3CRET"\n', /crypto\+https: address \(line 2\)/],
    ['#EXT-X-KEY:METHOD=AES-128,URI="data:text/plain;base64,AAAA"\n', /data: address \(line 2\)/],
    ['#EXT-X-MAP:URI="ftp://h/init.mp4"\n', /ftp: address \(line 2\)/],
  ];
  for (const [rest, why] of refused) {
    let message = '';
    assert.throws(
      () => rewritePlaylist(`#EXTM3U\n${rest}`, 'https://plat.example.com/x.m3u8?token=S3CRET', map),
      (e) => {
        message = (e as Error).message;
        return why.test(message);
      },
    );
    assert.doesNotMatch(message, /S3CRET|169\.254|10\.0\.0\.1|passwd|\/\/h\//, 'the address is not echoed');
  }
  // http and https, absolute, relative or scheme-relative, still go through the map
  const out = rewritePlaylist(
    '#EXTM3U\n#EXTINF:1,\n//cdn.example.com/a.ts\n#EXTINF:1,\nHTTP://h/b.ts\n',
    'https://p/x.m3u8',
    map,
  );
  assert.equal(
    out,
    `#EXTM3U\n#EXTINF:1,\n${map('https://cdn.example.com/a.ts')}\n#EXTINF:1,\n${map('http://h/b.ts')}\n`,
  );
});

test('addresses hidden from a line-by-line reader are found where ffmpeg and hls.js find them', () => {
  const base = 'https://plat.example.com/live/x.m3u8';
  const unmapped = (out: string) => out.replace(/\/r\/[^\s"]+/g, '');
  // ffmpeg ends a line at a lone CR; both readers take an unquoted URI attribute; both read an
  // indented '#' line as an address.
  const out = rewritePlaylist(
    [
      '#EXTM3U',
      '#EXT-X-KEY:METHOD=AES-128,URI=http://192.168.1.1/key,IV=0x1',
      '#EXT-X-MAP:uri=http://10.0.0.1/init.mp4',
      '#EXT-X-FOO:x\rhttp://169.254.169.254/latest/a.ts',
      '  #EXT-X-BAR:http://127.0.0.1:9/admin',
      '#EXTINF:1,',
      'seg.ts',
    ].join('\n'),
    base,
    map,
  );
  assert.doesNotMatch(unmapped(out), /192\.168|10\.0\.0\.1|169\.254|127\.0\.0\.1/, out);
  assert.ok(out.includes(`#EXT-X-KEY:METHOD=AES-128,URI="${map('http://192.168.1.1/key')}",IV=0x1`));
  assert.ok(
    out.split('\n').includes(map('http://169.254.169.254/latest/a.ts')),
    'the line after a lone CR is an address',
  );
  assert.ok(out.endsWith(`${map('https://plat.example.com/live/seg.ts')}\n`), 'ends with a line end (hls.js)');
  // What one reader takes as a line end and the other does not, and an EXTINF whose rest hls.js
  // reads as an address, refuse the playlist.
  for (const [rest, why] of [
    ['#EXT-X-FOO:x\u0000http://127.0.0.1:9/a\n', /control character \(line 2\)/],
    ['#EXTINF:1,t\u2028http://127.0.0.1:9/b\nseg.ts\n', /control character \(line 2\)/],
    ['#EXTINF:1,\u001b[2J\nseg.ts\n', /control character \(line 2\)/],
    ['#EXTINF:1 http://127.0.0.1:9/c\nseg.ts\n', /#EXTINF \(line 2\)/],
  ] as const)
    assert.throws(() => rewritePlaylist(`#EXTM3U\n${rest}`, base, map), why);
  // Durations as platforms write them pass.
  for (const extinf of ['#EXTINF:10,', '#EXTINF:9.975,title', '#EXTINF: 2', '#EXTINF:.5,'])
    assert.ok(rewritePlaylist(`#EXTM3U\n${extinf}\nseg.ts\n`, base, map).includes(extinf), extinf);
});

test('playlist detection and readable resource names', () => {
  assert.equal(isPlaylistResponse(new URL('http://h/a/index.m3u8?x=1'), 'text/plain'), true);
  assert.equal(isPlaylistResponse(new URL('http://h/a/live'), 'application/vnd.apple.mpegurl'), true);
  assert.equal(isPlaylistResponse(new URL('http://h/a/seg1.ts'), 'video/mp2t'), false);
  assert.equal(resourceName('http://h/a/seg%201.ts?t=1', 'x'), 'seg_201.ts');
  assert.equal(resourceName('http://h/', 'index.m3u8'), 'index.m3u8');
});

test('private addresses: loopback, RFC 1918, link-local (cloud metadata), CGNAT, unspecified, IPv6 local', () => {
  for (const h of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.10',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    'localhost',
    'cam.localhost',
    '[::1]',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
  ])
    assert.equal(isPrivateAddress(h), true, h);
  for (const h of ['8.8.8.8', '172.32.0.1', '100.128.0.1', 'cdn.example.com', '2001:db8::1', '::ffff:8.8.8.8'])
    assert.equal(isPrivateAddress(h), false, h);
});

test('private addresses written as IPv6: IPv4-mapped in the hex form a URL gives them, IPv4-compatible, NAT64', () => {
  // new URL('http://[::ffff:127.0.0.1]/').hostname is '[::ffff:7f00:1]', and a connect to it reaches 127.0.0.1.
  for (const h of [
    new URL('http://[::ffff:127.0.0.1]/').hostname,
    new URL('http://[::ffff:169.254.169.254]/').hostname,
    new URL('http://[0:0:0:0:0:ffff:192.168.1.1]/').hostname,
    '::ffff:7f00:1',
    '[::7f00:1]',
    '64:ff9b::a00:1',
    '[0:0:0:0:0:0:0:1]',
    'FE80::1',
  ])
    assert.equal(isPrivateAddress(h), true, h);
  for (const h of [new URL('http://[::ffff:8.8.8.8]/').hostname, '64:ff9b::808:808', '2001:db8::7f00:1'])
    assert.equal(isPrivateAddress(h), false, h);
});

test('every IPv6 form that embeds an IPv4 address is judged as that address (metadata 169.254.169.254, 10.x)', () => {
  // [169.254.169.254, 10.1.2.3] and a public address, in each embedding form.
  const forms: Array<[string, (a: string, b: string) => string]> = [
    ['IPv4-mapped, dotted', (hi, lo) => `::ffff:${dotted(hi, lo)}`],
    ['IPv4-mapped, hex', (hi, lo) => `::ffff:${hi}:${lo}`],
    ['IPv4-mapped, in a URL', (hi, lo) => new URL(`http://[::ffff:${dotted(hi, lo)}]/`).hostname],
    ['SIIT IPv4-translated', (hi, lo) => `::ffff:0:${hi}:${lo}`],
    ['SIIT, dotted', (hi, lo) => `::ffff:0:${dotted(hi, lo)}`],
    ['IPv4-compatible', (hi, lo) => `::${hi}:${lo}`],
    ['6to4', (hi, lo) => `2002:${hi}:${lo}::`],
    ['6to4 with a host part', (hi, lo) => `[2002:${hi}:${lo}:1::5]`],
    ['NAT64 well-known /96', (hi, lo) => `64:ff9b::${hi}:${lo}`],
    ['NAT64 local-use /48, /96 layout', (hi, lo) => `64:ff9b:1::${hi}:${lo}`],
    // Teredo: 2001:0::/32, server IPv4 in words 2–3, client IPv4 in words 6–7 with every bit flipped.
    ['Teredo client', (hi, lo) => `2001:0:4136:e378:8000:63bf:${flip(hi)}:${flip(lo)}`],
    ['ISATAP', (hi, lo) => `2001:db8:1:2:0:5efe:${hi}:${lo}`],
  ];
  const dotted = (hi: string, lo: string) =>
    [parseInt(hi, 16) >> 8, parseInt(hi, 16) & 255, parseInt(lo, 16) >> 8, parseInt(lo, 16) & 255].join('.');
  const flip = (w: string) => (0xffff ^ parseInt(w, 16)).toString(16);
  for (const [name, form] of forms) {
    assert.equal(isPrivateAddress(form('a9fe', 'a9fe')), true, `${name}: ${form('a9fe', 'a9fe')}`);
    assert.equal(isPrivateAddress(form('a01', '203')), true, `${name}: ${form('a01', '203')}`);
    assert.equal(isPrivateAddress(form('7f00', '1')), true, `${name}: ${form('7f00', '1')}`);
  }
  // The public address 8.8.8.8 (0808:0808) in the same forms stays public, except the local-use
  // NAT64 prefix, which is never global (RFC 8215): a platform cannot hand it out.
  for (const [name, form] of forms.filter(([n]) => !n.startsWith('NAT64 local-use')))
    assert.equal(isPrivateAddress(form('808', '808')), false, `${name}: ${form('808', '808')}`);
  assert.equal(isPrivateAddress('64:ff9b:1::808:808'), true, 'local-use NAT64 prefix');
  // A Teredo address whose server is private, whatever its client.
  assert.equal(isPrivateAddress('2001:0:a9fe:a9fe::f7f7:f7f7'), true);
  for (const h of ['2001:db8::1', '2400:cb00::1', '[2001:4860:4860::8888]', 'fec1::1'])
    assert.equal(isPrivateAddress(h), h === 'fec1::1', h); // fec0::/10 is the old site-local range
});
