import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_REDIRECTS, nextHop } from '../../main/media/redirect';

/** The next address, or why not. */
const hop = (from: string, location: string, hops = 0, withToken = false): string => {
  const h = nextHop(new URL(from), location, hops, withToken);
  return 'refused' in h ? h.refused : h.next.toString();
};

test('a redirect stays on its host, never goes from https to http, nor takes a token to plain http', () => {
  const tls = 'https://cdn.example.com/live/a.flv?token=t';
  assert.equal(hop(tls, '/live/b.flv', 0, true), 'https://cdn.example.com/live/b.flv');
  assert.equal(hop(tls, 'https://cdn.example.com:444/b'), 'redirected to another host (cdn.example.com:444)');
  assert.equal(hop(tls, 'https://10.0.0.1/b'), 'redirected to another host (10.0.0.1)');
  assert.equal(hop(tls, 'ftp://cdn.example.com/b'), 'redirected to another host (cdn.example.com)');
  assert.equal(hop(tls, 'http://cdn.example.com/b'), 'redirected from https to plain http');
  assert.equal(hop(tls, 'http://[bad'), 'redirected to an address that is not a URL');
  const plain = 'http://cam.example.com/a.m3u8';
  assert.equal(hop(plain, 'https://cam.example.com/b.m3u8', 0, true), 'https://cam.example.com/b.m3u8');
  assert.equal(hop(plain, '/b.m3u8', 0, true), 'redirected a stream that needs its token to plain http');
  assert.equal(hop(plain, '/b.m3u8', MAX_REDIRECTS - 1), 'http://cam.example.com/b.m3u8');
  assert.equal(hop(plain, '/b.m3u8', MAX_REDIRECTS), 'redirected too many times');
});
