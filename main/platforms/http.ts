import { AppError } from '../errors';
import { networkError } from './errors';
import { noteRequestId } from './request-ids';

/**
 * One HTTP exchange for platform clients: Node fetch with a timeout; network failures and 5xx
 * are retried only when the caller says the call is idempotent (reads), with backoff. A caller whose
 * signature may be used once (Alibaba's SignatureNonce) passes a builder, called for every attempt.
 */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** multipart/form-data body (fetch sets the boundary) */
  form?: FormData;
  idempotent: boolean;
  timeoutMs?: number;
  /** Larger replies are refused (default 32 MB): a platform's answer, not a download. */
  maxBytes?: number;
}

const MAX_REPLY_BYTES = 32 * 1024 * 1024;

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** the body as received (files such as spreadsheets are not text) */
  bytes: Buffer;
}

export type Fetch = typeof fetch;

export async function exchange(
  platform: string,
  what: string,
  request: HttpRequest | (() => HttpRequest),
  fetchImpl: Fetch = fetch,
  retries = 2,
): Promise<HttpResponse> {
  let attempt = 0;
  for (;;) {
    const req = typeof request === 'function' ? request() : request;
    try {
      const res = await fetchImpl(req.url, {
        method: req.method,
        headers: req.headers,
        ...(req.form ? { body: req.form } : req.body !== undefined ? { body: req.body } : {}),
        signal: AbortSignal.timeout(req.timeoutMs ?? 15_000),
        redirect: 'manual',
      });
      const bytes = await readCapped(res, req.maxBytes ?? MAX_REPLY_BYTES, platform, what);
      if (req.idempotent && res.status >= 500 && attempt < retries) {
        await backoff(attempt++);
        continue;
      }
      const text = bytes.toString('utf8');
      noteRequestId(res.headers, text);
      return { status: res.status, headers: res.headers, text, bytes };
    } catch (e) {
      if (e instanceof AppError) throw e; // refused by us, not a network failure
      if (req.idempotent && attempt < retries) {
        await backoff(attempt++);
        continue;
      }
      throw networkError(platform, e instanceof Error && 'cause' in e && e.cause instanceof Error ? e.cause : e, what);
    }
  }
}

/** The body, or a clear error as soon as it passes `max` bytes (the rest is not read). */
export async function readCapped(res: Response, max: number, platform: string, what: string): Promise<Buffer> {
  const refuse = () =>
    new AppError(
      'PLATFORM_ERROR',
      `${platform}'s reply to ${what} is larger than ${Math.round(max / 1024 / 1024)} MB; it was refused`,
      { vendorCode: 'OVERSIZED_REPLY' },
    );
  if (Number(res.headers.get('content-length')) > max) {
    await res.body?.cancel().catch(() => undefined);
    throw refuse();
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw refuse();
    }
    chunks.push(value);
  }
}

function backoff(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
}

/** JSON.parse that reports a clear error instead of throwing SyntaxError at the caller. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, reason: `body is not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}
