/**
 * Platform playback playlists over the simulator's recordings: what a cloud answers for "play
 * this time range" (Tencent E35, Alibaba GetDeviceVideoUrl).
 */

/** One VOD playlist over several recordings, each starting with a discontinuity and its wall clock. */
export async function stitchPlaylist(recordings: Array<{ start: number; end: number; url: string }>): Promise<string> {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-MEDIA-SEQUENCE:0'];
  let target = 2;
  const body: string[] = [];
  for (const [i, r] of recordings.entries()) {
    const text = await (await fetch(r.url)).text();
    if (i > 0) body.push('#EXT-X-DISCONTINUITY');
    body.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(r.start).toISOString()}`);
    for (const line of text.split('\n')) {
      const m = /^#EXT-X-TARGETDURATION:(\d+)/.exec(line);
      if (m) target = Math.max(target, Number(m[1]));
      if (line.startsWith('#EXTINF')) body.push(line);
      else if (line && !line.startsWith('#')) body.push(new URL(line, r.url).toString());
    }
  }
  return [
    ...lines.slice(0, 2),
    `#EXT-X-TARGETDURATION:${target}`,
    ...lines.slice(2),
    ...body,
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
}
