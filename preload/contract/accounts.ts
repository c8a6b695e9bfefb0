import { z } from 'zod';

/**
 * Accounts: one per platform login. Only non-secret fields live here; the secret
 * (SK, SecretKey, AccessKeySecret or IAM password) is write-only from the renderer
 * and stored by main in the OS keychain. Field names and formats follow ../shared/spec.
 *
 * Messages are i18n keys (`validation.*`) with the English text after a `|`,
 * so main can report them and the renderer can translate them.
 */
export const msg = (key: string, english: string) => ({ message: `${key}|${english}` });

const httpUrl = z
  .string()
  .trim()
  .max(256)
  .regex(/^https?:\/\/[^\s/?#]+(:\d+)?(\/[^\s?#]*)?$/, msg('validation.url', 'Enter an http(s) URL, e.g. https://host'))
  .transform((s) => s.replace(/\/+$/, ''));

/**
 * "This platform runs on my network", typed by the operator in the account form (never set by a
 * platform's reply or a playlist): the account's host and the hosts its playlists name in the same
 * private range may be reached (main/net/site-range.ts), and its own hosts may be plain http.
 */
const onPremises = z.boolean().optional();

/**
 * Secrets and signed requests go to an account's hosts: plain http only to this computer (the
 * emulators), or on the operator's own network when they said the platform runs there.
 */
function plainHttpRule(config: { onPremises?: boolean | undefined } & Record<string, unknown>, ctx: z.RefinementCtx) {
  if (config.onPremises === true) return;
  for (const field of ['endpoint', 'iamEndpoint']) {
    const url = config[field];
    if (typeof url === 'string' && !url.startsWith('https://') && !isLoopbackUrl(url))
      ctx.addIssue({
        code: 'custom',
        path: [field],
        ...msg(
          'validation.httpsOrOnPremises',
          'Use https:// — plain http is allowed only for this computer, or for a platform you mark as running on your network',
        ),
      });
  }
}

/** This machine: 127/8, localhost, [::1] (the emulators, a broker beside the app). */
const LOOPBACK_HOST = String.raw`(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])`;
const loopbackHost = new RegExp(`^${LOOPBACK_HOST}$`, 'i');
const loopbackUrl = new RegExp(String.raw`^http:\/\/${LOOPBACK_HOST}(:\d+)?(\/|$)`, 'i');

export function isLoopbackHost(hostname: string): boolean {
  return loopbackHost.test(hostname);
}

/** http://127.0.0.1, http://localhost, http://[::1] (any port). */
export function isLoopbackUrl(url: string): boolean {
  return loopbackUrl.test(url);
}

const token = (key: string, english: string, max = 128) =>
  z
    .string()
    .trim()
    .min(1, msg('validation.required', 'Required'))
    .max(max, msg(key, english))
    .regex(/^\S+$/, msg(key, english));

export const PlatformId = z.enum(['huawei-ivm', 'huawei-vis', 'tencent-ivc', 'aliyun-vcs']);
export type PlatformId = z.infer<typeof PlatformId>;

/** Huawei IVM: https://api-ivm.myhuaweicloud.com/{v1|v2}/{user_id}/… ; AccessToken from AK/SK (spec part 1, B.1). */
export const HuaweiIvmConfig = z.object({
  platform: z.literal('huawei-ivm'),
  endpoint: httpUrl.default('https://api-ivm.myhuaweicloud.com'),
  userId: z
    .string()
    .trim()
    .regex(/^[0-9]{15,25}$/, msg('validation.ivmUserId', 'user_id: digits only, 15–25 long')),
  ak: token('validation.ak', 'Access key: no spaces, at most 128 characters'),
  onPremises,
});

/** Huawei VIS: regional host vis.{region}.myhuaweicloud.com, project_id = 32 hex; IAM token or AK/SK (spec §1.2, §2). */
export const VisRegion = z.enum(['cn-north-1', 'cn-north-4', 'cn-east-3', 'cn-east-2', 'cn-south-1']);
const visCommon = {
  platform: z.literal('huawei-vis'),
  region: VisRegion,
  projectId: z
    .string()
    .trim()
    .regex(/^[0-9a-f]{32}$/, msg('validation.projectId', 'project_id: 32 lowercase hex characters')),
  /** Override for the VIS host (emulators, private deployments). Default vis.{region}.myhuaweicloud.com. */
  endpoint: httpUrl.optional(),
  onPremises,
};
export const HuaweiVisConfig = z.discriminatedUnion('authMode', [
  z.object({
    ...visCommon,
    authMode: z.literal('token'),
    /** Override for the IAM host. Default iam.{region}.myhuaweicloud.com. */
    iamEndpoint: httpUrl.optional(),
    domain: token('validation.iamName', 'Account (domain) name: no spaces', 64),
    user: token('validation.iamName', 'IAM user name: no spaces', 64),
  }),
  z.object({
    ...visCommon,
    authMode: z.literal('aksk'),
    ak: token('validation.ak', 'Access key: no spaces, at most 128 characters'),
  }),
]);

/** Tencent IVC: host ivc.myqcloud.com, COS-style signature with SecretId/SecretKey; APPID is not signed (spec §2). */
export const TencentIvcConfig = z.object({
  platform: z.literal('tencent-ivc'),
  endpoint: httpUrl.default('https://ivc.myqcloud.com'),
  appId: z
    .string()
    .trim()
    .regex(/^[0-9]{5,20}$/, msg('validation.appId', 'APPID: digits, e.g. 1250000000')),
  secretId: token('validation.secretId', 'SecretId: no spaces, at most 128 characters'),
  onPremises,
});

/** Alibaba VCS / City Visual Intelligence: RPC signature v1 with AccessKeyId/AccessKeySecret. */
export const AliyunVcsConfig = z.object({
  platform: z.literal('aliyun-vcs'),
  regionId: z
    .string()
    .trim()
    .regex(/^[a-z]{2}-[a-z0-9-]+$/, msg('validation.regionId', 'Region id, e.g. cn-hangzhou')),
  endpoint: httpUrl.default('https://vcs.cn-hangzhou.aliyuncs.com'),
  accessKeyId: token('validation.accessKeyId', 'AccessKey ID: no spaces, at most 128 characters'),
  /** Visual Computing Service project (Corp). Optional: Vigil can list corps after connecting. */
  corpId: z.string().trim().max(64).optional(),
  onPremises,
});

/** Huawei VIS hosts when the account names none (§1.2). */
export const visDefaultEndpoint = (region: string) => `https://vis.${region}.myhuaweicloud.com`;
export const iamDefaultEndpoint = (region: string) => `https://iam.${region}.myhuaweicloud.com`;

/**
 * Every origin an account's secret (or a signature made with it) is sent to. Changing any of
 * them requires the secret again: otherwise an edit could send a stored secret to a new server.
 */
export function secretDestinations(config: AccountConfig): string[] {
  // Per role, in a fixed order: swapping the VIS and IAM hosts changes where the password goes.
  const origins =
    config.platform === 'huawei-vis'
      ? [
          `api ${config.endpoint ?? visDefaultEndpoint(config.region)}`,
          ...(config.authMode === 'token' ? [`iam ${config.iamEndpoint ?? iamDefaultEndpoint(config.region)}`] : []),
        ]
      : [`api ${config.endpoint}`];
  return origins.map((o) => {
    const [role, url] = o.split(' ') as [string, string];
    return `${role} ${new URL(url).origin}`;
  });
}

export const AccountConfig = z
  .union([HuaweiIvmConfig, HuaweiVisConfig, TencentIvcConfig, AliyunVcsConfig])
  .superRefine(plainHttpRule);
export type AccountConfig = z.infer<typeof AccountConfig>;
export type AccountConfigInput = z.input<typeof AccountConfig>;

export const AccountId = z.string().regex(/^acc_[0-9a-z]{16}$/);
export const AccountName = z
  .string()
  .trim()
  .min(1, msg('validation.required', 'Required'))
  .max(64, msg('validation.name', 'At most 64 characters'));
/** A secret is written once and never read back. Bounded so a pasted file cannot land in the keychain. */
export const Secret = z
  .string()
  .min(1, msg('validation.required', 'Required'))
  .max(4096, msg('validation.secret', 'At most 4096 characters'));

/**
 * What an account can do, derived by main from the operations its platform adapter implements.
 * The UI gates on these, never on the platform id (only the account form knows platforms).
 */
export const Capability = z.enum([
  'live',
  'playback.cloud',
  'playback.device',
  'ptz',
  'presets',
  'cruise',
  'targets',
  'deviceAdmin',
  'alarms',
  'snapshot',
  'health',
  'imageSearch',
  /** people-flow statistics and heat maps (Huawei IVM §10.4) */
  'statistics',
  /** per-channel cloud recording plans and retention (Huawei IVM) */
  'recordingPlans',
  /** named weekly templates and the plans that bind channels to them (Tencent IVC) */
  'cloudPlans',
  'deviceAdmin.move',
  'deviceAdmin.remove',
  'deviceAdmin.rename',
  'deviceAdmin.streams',
  'deviceAdmin.password',
  'deviceAdmin.services',
  'deviceAdmin.import',
  'deviceAdmin.credentials',
  'deviceAdmin.refreshChannels',
]);
export type Capability = z.infer<typeof Capability>;

/**
 * How a platform takes a new device: the add form follows this, never the platform id, so a new
 * platform that registers devices the same way reuses the form. Main derives each account's
 * models from the add operations its adapter implements (`Account.registrationModels`).
 */
export const RegistrationModel = z.enum([
  /** the installer's own 20-digit GB28181 IDs, a password each, up to 100 a call (Huawei IVM §6.7) */
  'installerIds',
  /** the platform generates the IDs and ties the devices to a GB28181 credential (Huawei VIS §4.3.1) */
  'credential',
  /** one device; the platform generates its 20-digit code, the installer sets the password (Tencent IVC E15) */
  'generatedCode',
  /** a device in a project; the platform assigns the IDs and the password (Alibaba VCS CreateDevice §3.2.1) */
  'projectDevice',
  /** a device ID and the verification code on its label (HoloSens, Huawei IVM §6.6): `installer:addHolo` */
  'labelCode',
]);
export type RegistrationModel = z.infer<typeof RegistrationModel>;

/** What the renderer sees: no secret, only whether one is stored; and what the account can do. */
export const Account = z.object({
  id: AccountId,
  name: z.string(),
  config: AccountConfig,
  secretConfigured: z.boolean(),
  createdAt: z.string(),
  capabilities: z.array(Capability),
  /** How devices are added on this account (which add forms it gets), derived like the capabilities. */
  registrationModels: z.array(RegistrationModel),
});
export type Account = z.infer<typeof Account>;

export const VaultStatus = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), message: z.string(), hint: z.string() }),
]);
export type VaultStatus = z.infer<typeof VaultStatus>;

/**
 * An account an upgrade set aside (quarantine) because it names a plain http:// host that is not
 * this computer, which the choice "this platform runs on my network" makes valid: offered back
 * with that choice (its secret is still in the keychain under its id).
 */
export const SetAsideAccount = z.object({ id: AccountId, name: z.string(), config: AccountConfig });
export type SetAsideAccount = z.infer<typeof SetAsideAccount>;

export const AccountsListResponse = z.object({
  accounts: z.array(Account),
  vault: VaultStatus,
  setAside: z.array(SetAsideAccount).default([]),
});
export const AccountsAddRequest = z.object({ name: AccountName, config: AccountConfig, secret: Secret }).strict();
export const AccountsUpdateRequest = z
  .object({
    id: AccountId,
    name: AccountName.optional(),
    config: AccountConfig.optional(),
    /** Absent = keep the stored secret. Required when the platform or VIS auth mode changes. */
    secret: Secret.optional(),
  })
  .strict();
export const AccountsIdRequest = z.object({ id: AccountId }).strict();
export const AccountsTestResponse = z.object({
  status: z.enum(['ok', 'failed', 'unavailable']),
  message: z.string(),
  latencyMs: z.number().optional(),
});
export type AccountsTestResponse = z.infer<typeof AccountsTestResponse>;
