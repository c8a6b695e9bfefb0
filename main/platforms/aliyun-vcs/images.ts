import { readCapped } from '../http';

const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/**
 * Images the platform names by URL (search crops, watch-item pictures) are fetched in main right
 * away (their lifetime is not stated) and handed to the renderer as data: URLs: JPEG/PNG/WebP
 * only, ≤ 2 MB, or null when that is not what came back.
 */
export async function fetchImage(fetchImpl: typeof fetch, url: string): Promise<string | null> {
  try {
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(8000) });
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (!res.ok || !['image/jpeg', 'image/png', 'image/webp'].includes(type)) return null;
    // Read no further than 2 MB (readCapped throws past it): an answer without end is not buffered.
    const bytes = await readCapped(res, MAX_IMAGE_BYTES, 'Alibaba VCS', 'an image');
    return `data:${type};base64,${bytes.toString('base64')}`;
  } catch {
    return null;
  }
}
