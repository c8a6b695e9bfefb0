import { networkError } from './errors';

/**
 * One HTTP exchange for platform clients: Node fetch with a timeout; network failures and 5xx
 * are retried only when the caller says the call is idempotent (reads), with backoff.
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
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** the body as received (files such as spreadsheets are not text) */
  bytes: Buffer;
}

export type Fetch = typeof fetch;

export async function exchange(platform: string, what: string, req: HttpRequest, fetchImpl: Fetch = fetch, retries = 2): Promise<HttpResponse> {
  let attempt = 0;
  for (;;) {
    try {
      const res = await fetchImpl(req.url, {
        method: req.method,
        headers: req.headers,
        ...(req.form ? { body: req.form } : req.body !== undefined ? { body: req.body } : {}),
        signal: AbortSignal.timeout(req.timeoutMs ?? 15_000),
        redirect: 'manual',
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      if (req.idempotent && res.status >= 500 && attempt < retries) {
        await backoff(attempt++);
        continue;
      }
      return { status: res.status, headers: res.headers, text: bytes.toString('utf8'), bytes };
    } catch (e) {
      if (req.idempotent && attempt < retries) {
        await backoff(attempt++);
        continue;
      }
      throw networkError(platform, e instanceof Error && 'cause' in e && e.cause instanceof Error ? e.cause : e, what);
    }
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
