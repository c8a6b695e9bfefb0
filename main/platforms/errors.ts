import type { ZodError } from 'zod';
import { AppError } from '../errors';
import { redact } from '../log';

/**
 * A platform's refusal or failure, typed for the UI: HTTP status, the vendor's own code and
 * message (verbatim, redacted), an English explanation, and the request id for support.
 */
export class PlatformError extends AppError {
  constructor(p: {
    platform: string;
    httpStatus: number;
    vendorCode: string;
    vendorMessage: string;
    explanation?: string;
    requestId?: string;
    /**
     * The platform says the failure is its own, not the request's: an HTTP 5xx by default; a
     * platform that answers errors with HTTP 200 says it in its envelope (Tencent IVC's `Code` 500).
     */
    serverSide?: boolean;
  }) {
    const vendorMessage = redact(p.vendorMessage).slice(0, 500);
    const explanation = p.explanation ? ` — ${p.explanation}` : '';
    super('PLATFORM_ERROR', `${p.platform} ${p.vendorCode}: ${vendorMessage}${explanation}`, {
      vendorCode: p.vendorCode,
      httpStatus: p.httpStatus,
      ...(p.requestId ? { requestId: p.requestId } : {}),
    });
    this.name = 'PlatformError';
    this.serverSide = p.serverSide ?? p.httpStatus >= 500;
  }

  readonly serverSide: boolean;

  get vendorCode(): string {
    return this.details?.vendorCode ?? '';
  }
  get httpStatus(): number {
    return this.details?.httpStatus ?? 0;
  }
}

/**
 * Trouble that passes by itself: the platform unreachable or timing out, a server error (a 5xx, or
 * what a platform's envelope says is its own failure), a rate limit (429), the OS keychain locked
 * for a moment. Worth waiting out for work that is not urgent (a clip export); an answer that
 * refuses the request itself (a 4xx, a bad reply) is not.
 */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof AppError)) return false;
  if (e.code === 'NETWORK' || e.code === 'VAULT_UNAVAILABLE') return true;
  if (e instanceof PlatformError && e.serverSide) return true;
  const status = e.details?.httpStatus ?? 0;
  return e.code === 'PLATFORM_ERROR' && (status >= 500 || status === 429);
}

/** The platform could not be reached (DNS, refused, reset, timeout). */
export function networkError(platform: string, cause: unknown, what: string): AppError {
  const reason = cause instanceof Error ? (cause.name === 'TimeoutError' ? 'timed out' : cause.message) : String(cause);
  return new AppError('NETWORK', `${platform}: ${what} failed: ${redact(reason)}`);
}

/** A reply that is not what the documents promise: names the first bad field. */
export function malformedReply(platform: string, what: string, error: ZodError | string): AppError {
  const detail =
    typeof error === 'string'
      ? error
      : error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
          .join('; ');
  return new AppError('PLATFORM_ERROR', `${platform} returned an invalid reply to ${what}: ${detail}`, {
    vendorCode: 'MALFORMED_REPLY',
  });
}
