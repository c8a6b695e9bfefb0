import { z } from 'zod';
import type { AccountConfig } from '../../../preload/contract';
import { registerSecret } from '../../log';
import { malformedReply, PlatformError } from '../errors';
import { exchange, parseJson, type Fetch } from '../http';
import { ivcErrorTable } from './error-table';
import { keyTimeFor, sign, urlEncode } from './sign';

export type IvcConfig = Extract<AccountConfig, { platform: 'tencent-ivc' }>;

const PLATFORM = 'Tencent IVC';
/** Signatures are valid for 5 minutes from an injectable clock. */
const KEY_TTL_S = 300;

export interface IvcRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body, or FormData for the multipart endpoints (E04, E06, E24). */
  body?: unknown;
  what: string;
  /** E26–E28 answer with a file (its bytes), not the envelope. */
  file?: boolean;
}

const Envelope = z.looseObject({
  RequestId: z.string().optional(),
  Code: z.number().optional(),
  StatusCode: z.number().optional(),
  Message: z.string().optional(),
  Data: z.unknown().optional(),
});

/**
 * IVC HTTP client: every request signed (COS-style sha1) over `host` and all query parameters,
 * the envelope checked on StatusCode (not the HTTP status: errors come back as 200), Data parsed
 * with zod. Reads (GET) are retried on network errors and 5xx; writes never are.
 */
export class IvcClient {
  readonly baseUrl: string;

  constructor(
    readonly config: IvcConfig,
    private readonly secretKey: string,
    private readonly fetchImpl: Fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {
    this.baseUrl = config.endpoint.replace(/\/+$/, '');
    registerSecret(secretKey);
  }

  async call<S extends z.ZodType>(schema: S, req: IvcRequest): Promise<z.infer<S>> {
    const url = new URL(`${this.baseUrl}${req.path}`);
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) query[k] = String(v);
    // Doc 步骤3 注意: the parameters are UrlEncoded when sent, with the signing table's UrlEncode
    // (space %20, not the form encoding's '+'), so the wire carries exactly the signed values.
    url.search = Object.entries(query)
      .map(([k, v]) => `${urlEncode(k)}=${urlEncode(v)}`)
      .join('&');
    const isForm = typeof FormData !== 'undefined' && req.body instanceof FormData;
    const body =
      req.body === undefined
        ? req.method === 'POST' || req.method === 'PUT'
          ? ''
          : undefined
        : isForm
          ? undefined
          : JSON.stringify(req.body);
    const headers: Record<string, string> = {};
    if (body !== undefined && body !== '') headers['Content-Type'] = 'application/json';
    const { authorization } = sign({
      method: req.method,
      pathname: url.pathname,
      query,
      headers: { host: url.host },
      secretId: this.config.secretId,
      secretKey: this.secretKey,
      keyTime: keyTimeFor(this.now() / 1000, KEY_TTL_S),
    });
    headers.Authorization = authorization;
    const res = await exchange(
      PLATFORM,
      req.what,
      {
        method: req.method,
        url: url.toString(),
        headers,
        body: isForm ? undefined : body,
        idempotent: req.method === 'GET',
        ...(isForm ? { form: req.body as FormData } : {}),
      },
      this.fetchImpl,
    );
    if (req.file && res.status === 200 && !(res.headers.get('content-type') ?? '').includes('json'))
      return res.bytes as z.infer<S>;
    const parsed = parseJson(res.text);
    if (!parsed.ok) {
      if (res.status >= 400)
        throw new PlatformError({
          platform: PLATFORM,
          httpStatus: res.status,
          vendorCode: `HTTP ${res.status}`,
          vendorMessage: res.text.slice(0, 200),
        });
      throw malformedReply(PLATFORM, req.what, parsed.reason);
    }
    const env = Envelope.safeParse(parsed.value);
    if (!env.success) throw malformedReply(PLATFORM, req.what, env.error);
    const e = env.data;
    // Success only when StatusCode is 200 (E20 may omit it: then Code 0 means success).
    const ok = e.StatusCode === undefined ? e.Code === 0 && res.status < 400 : e.StatusCode === 200;
    if (!ok) {
      const code = e.StatusCode ?? e.Code ?? res.status;
      // Doc 错误码: Message is the code's description; "Data 每次请求错误时，该字段携带具体的错误信息".
      const detail = typeof e.Data === 'string' && e.Data !== e.Message ? e.Data.slice(0, 200) : '';
      throw new PlatformError({
        platform: PLATFORM,
        httpStatus: res.status,
        vendorCode: String(code),
        vendorMessage: detail ? `${e.Message ?? ''}（${detail}）` : (e.Message ?? ''),
        explanation: ivcErrorTable[code],
        ...(e.RequestId ? { requestId: e.RequestId } : {}),
        // Doc: Code 500 = 服务端错误 (a server-side failure), whatever the HTTP status (200 for nearly all).
        serverSide: e.Code === 500 || res.status >= 500,
      });
    }
    const data = schema.safeParse(e.Data);
    if (!data.success) throw malformedReply(PLATFORM, req.what, data.error);
    return data.data;
  }
}
