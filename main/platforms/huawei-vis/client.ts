import type { z } from 'zod';
import { iamDefaultEndpoint, visDefaultEndpoint, type AccountConfig } from '../../../preload/contract';
import { AppError } from '../../errors';
import { registerSecret } from '../../log';
import { malformedReply, PlatformError } from '../errors';
import { exchange, parseJson, type Fetch } from '../http';
import { encode, sdkDate, sign } from './sign';

export type VisConfig = Extract<AccountConfig, { platform: 'huawei-vis' }>;

const PLATFORM = 'Huawei VIS';
/** Tokens live 24 h; refresh an hour early so a long call never carries an expiring token. */
const TOKEN_REFRESH_MS = 23 * 3600 * 1000;

/** English help for the codes a user meets most (the vendor text is shown too). */
const explanations: Record<string, string> = {
  'VIS.0001': 'the IAM token was refused; check the user, password and account (domain) name',
  'APIGW.0301': 'the AK/SK signature was refused; check the access key, secret key and the system clock (±15 min)',
  'VIS.0002': 'the project ID does not belong to this account or region',
  'VIS.0003': 'this endpoint is not the region of the project',
  'VIS.0004': 'VIS is not subscribed for this project; subscribe in the console',
  'VIS.0015': 'VIS is not subscribed for this project; subscribe in the console',
  'VIS.0005': 'a request parameter is invalid',
  'VIS.0014': 'a quota is exhausted',
  'VIS.0204': 'the stream is not active; activate it first',
};

export interface VisRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under /v1/{project_id}, e.g. `/streams`. */
  path: string;
  query?: Array<[string, string]>;
  body?: unknown;
  /** What the user asked for, for error messages: "list streams". */
  what: string;
}

/**
 * VIS HTTP client: IAM token (password, project-scoped, cached in memory, refreshed before 24 h
 * and once on a token refusal) or AK/SK signing; errors keyed on error_code, never on status.
 */
export class VisClient {
  readonly baseUrl: string;
  readonly iamUrl: string;
  private token: { value: string; expiresAt: number } | null = null;
  private refreshing: Promise<string> | null = null;

  constructor(
    readonly config: VisConfig,
    private readonly secret: string,
    private readonly fetchImpl: Fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {
    this.baseUrl = config.endpoint ?? visDefaultEndpoint(config.region);
    this.iamUrl = (config.authMode === 'token' ? config.iamEndpoint : undefined) ?? iamDefaultEndpoint(config.region);
    registerSecret(secret);
  }

  /** Call VIS and parse the reply with `schema`; a 204 or empty body parses as `undefined`. */
  async call<S extends z.ZodType>(schema: S, req: VisRequest): Promise<z.infer<S>> {
    let res = await this.send(req);
    if (this.config.authMode === 'token' && isTokenRefusal(res.status, res.code)) {
      this.token = null; // refused: fetch a fresh token once and retry
      res = await this.send(req);
    }
    if (res.status >= 400) {
      throw new PlatformError({
        platform: PLATFORM,
        httpStatus: res.status,
        vendorCode: res.code ?? `HTTP ${res.status}`,
        vendorMessage: res.message ?? res.text.slice(0, 200),
        explanation:
          res.code === 'APIGW.0301' && this.config.authMode === 'token'
            ? 'the API gateway refused the IAM token even after signing in again; check the user, account and project'
            : res.code
              ? explanations[res.code]
              : undefined,
        requestId: res.requestId,
      });
    }
    if (!res.parsed.ok) throw malformedReply(PLATFORM, req.what, res.parsed.reason);
    const checked = schema.safeParse(res.parsed.value);
    if (!checked.success) throw malformedReply(PLATFORM, req.what, checked.error);
    return checked.data;
  }

  private async send(req: VisRequest) {
    const url = new URL(`${this.baseUrl}/v1/${this.config.projectId}${req.path}`);
    // Sent encoded as the signer encodes it (space as %20, not a form's '+', which a gateway
    // reading RFC 3986 takes for a plus sign and would sign differently).
    const query = req.query ?? [];
    url.search = query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
    const body =
      req.method === 'POST' || req.method === 'PUT'
        ? req.body === undefined
          ? ''
          : JSON.stringify(req.body)
        : undefined;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Project-Id': this.config.projectId,
    };
    if (this.config.authMode === 'token') {
      headers['X-Auth-Token'] = await this.accessToken();
    } else {
      headers['X-Sdk-Date'] = sdkDate(new Date(this.now()));
      const signed = sign({
        method: req.method,
        // The signer escapes each raw segment (§2.3.2); url.pathname is already escaped once.
        path: url.pathname.split('/').map(decodeURIComponent).join('/'),
        query,
        headers: { ...headers, Host: url.host },
        body: body ?? '',
        ak: this.config.ak,
        sk: this.secret,
      });
      headers.Authorization = signed.authorization;
    }
    const res = await exchange(
      PLATFORM,
      req.what,
      { method: req.method, url: url.toString(), headers, body, idempotent: req.method === 'GET' },
      this.fetchImpl,
    );
    const parsed = parseJson(res.text);
    const err =
      parsed.ok && parsed.value && typeof parsed.value === 'object'
        ? (parsed.value as { error_code?: unknown; error_msg?: unknown })
        : {};
    return {
      status: res.status,
      text: res.text,
      parsed,
      code: typeof err.error_code === 'string' ? err.error_code : undefined,
      message: typeof err.error_msg === 'string' ? err.error_msg : undefined,
      requestId: res.headers.get('x-request-id') ?? undefined,
    };
  }

  /** The cached IAM token; concurrent callers share one refresh. */
  async accessToken(): Promise<string> {
    if (this.config.authMode !== 'token') throw new AppError('INTERNAL', 'This VIS account signs requests with AK/SK');
    if (this.token && this.token.expiresAt > this.now()) return this.token.value;
    this.refreshing ??= this.fetchToken().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async fetchToken(): Promise<string> {
    if (this.config.authMode !== 'token') throw new AppError('INTERNAL', 'not a token account');
    const body = JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: this.config.user, password: this.secret, domain: { name: this.config.domain } } },
        },
        scope: { project: { name: this.config.region } },
      },
    });
    const res = await exchange(
      PLATFORM,
      'sign in to IAM',
      {
        method: 'POST',
        url: `${this.iamUrl}/v3/auth/tokens`,
        headers: { 'Content-Type': 'application/json' },
        body,
        idempotent: false,
      },
      this.fetchImpl,
    );
    const token = res.headers.get('x-subject-token');
    if (res.status !== 201 || !token) {
      const parsed = parseJson(res.text);
      const e = parsed.ok ? ((parsed.value as { error?: { message?: string } } | undefined)?.error ?? {}) : {};
      throw new PlatformError({
        platform: 'Huawei IAM',
        httpStatus: res.status,
        vendorCode: `IAM ${res.status}`,
        vendorMessage:
          e.message ?? (res.status === 201 ? 'no X-Subject-Token header in the reply' : res.text.slice(0, 200)),
        explanation: res.status === 401 ? 'check the IAM user name, password and account (domain) name' : undefined,
      });
    }
    registerSecret(token);
    this.token = { value: token, expiresAt: this.now() + TOKEN_REFRESH_MS };
    return token;
  }
}

/**
 * A refused token: VIS's 403 VIS.0001, or any 401 — the API gateway answers an expired or revoked
 * token with 401 APIGW.0301 before VIS sees the call (spec §2.1: refresh on VIS.0001, 401 or 403).
 * A 403 with another code (VIS.0004 not subscribed, VIS.0006 no permission) is not about the token.
 */
function isTokenRefusal(status: number, code: string | undefined): boolean {
  return status === 401 || (status === 403 && (code === 'VIS.0001' || code === undefined));
}
