import { z } from 'zod';
import type { AccountConfig } from '../../../preload/contract';
import { AppError } from '../../errors';
import { registerSecret } from '../../log';
import { malformedReply, networkError, PlatformError } from '../errors';
import { exchange, parseJson, readCapped, type Fetch } from '../http';
import { ivmErrorTable } from './error-table';

export type IvmConfig = Extract<AccountConfig, { platform: 'huawei-ivm' }>;

const PLATFORM = 'Huawei IVM';
/** A picture the platform names by URL (alarm, TLV, snapshot) is JPEG or PNG of a camera: far below this. */
const MAX_PICTURE_BYTES = 16 * 1024 * 1024;
/** Codes after which a fresh AccessToken is worth one retry (spec B.4). */
const TOKEN_CODES = new Set(['IVM.10000001', 'IVM.10000002', 'IVM.10000003', 'IVM.10000005', 'IVM.10020049']);
/** Ask for a replacement (force_update) when this little lifetime is left (B.5: ≤ 2 days). */
const REFRESH_BEFORE_S = 2 * 24 * 3600;

export interface IvmRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path after the user id, with its version: `/v1/…` becomes /v1/{user_id}/… */
  path: `/${'v1' | 'v2'}/${string}`;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  what: string;
  /** For a hint not worth waiting on (e.g. §17.2's codec at live start): fewer retries, a shorter timeout. */
  retries?: number;
  timeoutMs?: number;
}

const TokenReply = z.looseObject({
  access_token: z.string().min(1),
  expire_time: z.union([z.string(), z.number()]).transform(Number),
});

/**
 * IVM client: no per-request signature — AK/SK buy an AccessToken (§4.1, valid 7 days, at most
 * two per AK) that every call carries in `Access-Token`. One token is kept in main memory,
 * fetched once at a time (single flight), replaced before its last two days, and re-issued once
 * when the service says it is expired or invalid. Errors are `{error_code, error_msg}`.
 */
export class IvmClient {
  readonly baseUrl: string;
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    readonly config: IvmConfig,
    private readonly sk: string,
    private readonly fetchImpl: Fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {
    this.baseUrl = config.endpoint.replace(/\/+$/, '');
    registerSecret(sk);
  }

  /** The current AccessToken, fetching or replacing it when needed (one request at a time). */
  async accessToken(force = false): Promise<string> {
    const t = this.token;
    if (!force && t && t.expiresAt - this.now() > REFRESH_BEFORE_S * 1000) return t.value;
    this.pending ??= this.issue(force || Boolean(t)).finally(() => (this.pending = null));
    return this.pending;
  }

  private async issue(forceUpdate: boolean): Promise<string> {
    const res = await exchange(
      PLATFORM,
      'sign-in',
      {
        method: 'POST',
        url: `${this.baseUrl}/v2/${this.config.userId}/enterprises/access-token`,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ak: this.config.ak, sk: this.sk, ...(forceUpdate ? { force_update: true } : {}) }),
        idempotent: false,
      },
      this.fetchImpl,
    );
    const body = this.parse(res.status, res.text, 'sign-in');
    const token = TokenReply.safeParse(body);
    if (!token.success) throw malformedReply(PLATFORM, 'sign-in', token.error);
    registerSecret(token.data.access_token);
    this.token = { value: token.data.access_token, expiresAt: this.now() + token.data.expire_time * 1000 };
    return token.data.access_token;
  }

  async call<S extends z.ZodType>(schema: S, req: IvmRequest): Promise<z.infer<S>> {
    const [, version, rest] = /^\/(v1|v2)(\/.*)$/.exec(req.path)!;
    // Percent-encoded (a space is %20, not URLSearchParams' '+': the documents' query values carry
    // spaces, e.g. §9.2 `start_time=2023-03-20 09:30:00`, and '+' is a literal plus to a strict decoder).
    const query = Object.entries(req.query ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    const url = new URL(`${this.baseUrl}/${version}/${this.config.userId}${rest}${query ? `?${query}` : ''}`);
    const send = async (token: string) =>
      exchange(
        PLATFORM,
        req.what,
        {
          method: req.method,
          url: url.toString(),
          headers: { 'Access-Token': token, ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
          ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
          idempotent: req.method === 'GET',
          ...(req.timeoutMs ? { timeoutMs: req.timeoutMs } : {}),
        },
        this.fetchImpl,
        req.retries,
      );
    let res = await send(await this.accessToken());
    if (res.status === 401 || res.status === 400) {
      const code = errorOf(parseJson(res.text))?.code;
      if (code && TOKEN_CODES.has(code)) res = await send(await this.accessToken(true));
    }
    const body = this.parse(res.status, res.text, req.what);
    const data = schema.safeParse(body ?? {});
    if (!data.success) throw malformedReply(PLATFORM, req.what, data.error);
    return data.data;
  }

  /**
   * A picture the platform names by URL (10.1.4.5, 10.2, 10.3): the AccessToken goes only to
   * the API's own host — pre-signed URLs elsewhere (plain HTTP to an IP, 10.2.2) carry their
   * own signature and must not learn the token.
   */
  async download(url: string, what: string): Promise<{ contentType: string; bytes: Buffer }> {
    let target: URL;
    try {
      target = new URL(url.replace(/^http:\/\/api-ivm\.myhuaweicloud\.com\//, 'https://api-ivm.myhuaweicloud.com/'));
    } catch {
      throw malformedReply(PLATFORM, what, 'the picture URL is not a URL');
    }
    const own = target.origin === new URL(this.baseUrl).origin;
    const get = async (token?: string) => {
      try {
        const res = await this.fetchImpl(target, {
          headers: token ? { 'Access-Token': token } : {},
          signal: AbortSignal.timeout(15_000),
          redirect: 'manual',
        });
        return {
          status: res.status,
          contentType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(),
          // Read up to a picture's size, not whatever the (perhaps plain-http) host sends.
          bytes: await readCapped(res, MAX_PICTURE_BYTES, PLATFORM, what),
        };
      } catch (e) {
        if (e instanceof AppError) throw e;
        throw networkError(PLATFORM, e, what);
      }
    };
    let res = await get(own ? await this.accessToken() : undefined);
    if (own && res.status === 401) res = await get(await this.accessToken(true));
    if (res.status >= 400) this.parse(res.status, res.bytes.toString('utf8'), what);
    return { contentType: res.contentType, bytes: res.bytes };
  }

  private parse(status: number, text: string, what: string): unknown {
    const parsed = parseJson(text);
    if (status >= 400) {
      const err = errorOf(parsed);
      throw ivmError(status, err?.code ?? `HTTP ${status}`, err?.msg ?? text.slice(0, 200));
    }
    if (!parsed.ok) throw malformedReply(PLATFORM, what, parsed.reason);
    return parsed.value;
  }
}

/** `{error_code, error_msg}`, falling back to `{code, msg}` (spec A.5). */
function errorOf(parsed: ReturnType<typeof parseJson>): { code: string; msg: string } | null {
  if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object') return null;
  const o = parsed.value as Record<string, unknown>;
  const code = o.error_code ?? o.code;
  return typeof code === 'string' ? { code, msg: String(o.error_msg ?? o.msg ?? '') } : null;
}

/** Item results inside 200 replies: `IVM.0` is success (A.5). */
export function itemError(result: { code: string; msg?: string } | undefined, what: string): PlatformError | null {
  if (!result || result.code === 'IVM.0') return null;
  return ivmError(200, result.code, result.msg ?? what);
}

/** The vendor's code and message verbatim, plus an English explanation: ours where we know better, else the spec's table. */
function ivmError(httpStatus: number, vendorCode: string, vendorMessage: string): PlatformError {
  const explanation = explainIvmCode(vendorCode, vendorMessage);
  return new PlatformError({
    platform: PLATFORM,
    httpStatus,
    vendorCode,
    vendorMessage,
    ...(explanation ? { explanation } : {}),
  });
}

/** A failed batch item as the UI shows it: the vendor's code, its message and the explanation. */
export function itemFailure(result: { code: string; msg?: string | undefined }): {
  ok: false;
  code: string;
  message: string;
} {
  const explanation = explainIvmCode(result.code, result.msg);
  return {
    ok: false,
    code: result.code,
    message: `${result.msg ?? result.code}${explanation ? ` — ${explanation}` : ''}`,
  };
}

export function explainIvmCode(code: string, vendorMessage = ''): string | undefined {
  if (explanations[code]) return explanations[code];
  const row = ivmErrorTable[code];
  if (!row) return undefined;
  const [, english, hint] = row;
  if (hint) return hint;
  return english && english.replace(/\.$/, '') !== vendorMessage.replace(/\.$/, '') ? english : undefined;
}

const explanations: Record<string, string> = {
  'IVM.10020020': 'the AK is not valid',
  'IVM.10020021': 'the SK is not valid',
  'IVM.10020022': 'no enterprise has this AK/SK — use IVM enterprise credentials, not Huawei Cloud IAM keys',
  'IVM.10020000': 'the user_id is not valid',
  'IVM.10020048': 'the user_id does not match these credentials',
  'IVM.10000006': 'the account is frozen',
  'IVM.20000029':
    'another operator controls this camera’s PTZ (the platform does not say who; the control frees 2 minutes after their last command, §8.1)',
  'IVM.20020008': 'live view and playback need the channel’s management package',
  'IVM.20020009': 'the channel’s management package is in arrears',
  'IVM.20000043': 'the channel is offline',
  'IVM.90000011': 'the platform is busy; try again shortly',
};
