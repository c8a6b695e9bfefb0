import { z } from 'zod';
import { gbPasswordKinds, IVM_NAME_CHARS, IVM_NAME_MAX, ivmNameLength } from '../../common/gb-rules';
import { AccountId, msg } from './accounts';

/**
 * Installer workflows: pre-register GB28181 devices on the platform, show the installer the
 * values to type into the camera (the GB28181 assistant), and watch the device come online.
 * How a device is registered is a `RegistrationModel` (below), which the add forms follow.
 */

/** 20 digits; characters 11–13 give the type: 132 IPC, 111 DVR, 118 NVR (IVM §0.4 / A.8). */
export const GbDeviceId = z
  .string()
  .regex(
    /^[0-9]{10}(132|111|118)[0-9]{7}$/,
    msg('validation.gbId', '20 digits; digits 11–13: 132 camera, 111 DVR, 118 NVR'),
  );
/** At least three of lower case, upper case, digits, the documented specials; 8–32 (IVM A.9, §6.7). */
export const GbPassword = z
  .string()
  .min(8, msg('validation.gbPassword', '8–32 characters with three of: lower case, upper case, digits, symbols'))
  .max(32, msg('validation.gbPassword', '8–32 characters with three of: lower case, upper case, digits, symbols'))
  .refine(
    (p) => gbPasswordKinds(p) >= 3,
    msg('validation.gbPassword', '8–32 characters with three of: lower case, upper case, digits, symbols'),
  );

export const IvmGbDevice = z.object({
  deviceId: GbDeviceId,
  name: z
    .string()
    .trim()
    .min(1, msg('validation.required', 'Required'))
    .regex(IVM_NAME_CHARS, msg('validation.deviceName', 'Chinese, letters, digits, space, _ - only'))
    .refine(
      (n) => ivmNameLength(n) <= IVM_NAME_MAX,
      msg('validation.deviceNameLength', 'At most 128 characters, a Chinese character counting as 2'),
    ),
  password: GbPassword,
  /** Optional SIP user name: letters, digits, '-', 5–32, not starting with a digit. */
  username: z
    .string()
    .regex(
      /^[A-Za-z-][A-Za-z0-9-]{4,31}$/,
      msg('validation.gbUser', '5–32 letters, digits or -, not starting with a digit'),
    )
    .optional(),
  description: z.string().max(128).optional(),
  /** SIP digest the camera must use (§6.7, required): SHA256 is the document's advice, MD5 for cameras without it. */
  algorithm: z.enum(['MD5', 'SHA256']),
});
export type IvmGbDevice = z.infer<typeof IvmGbDevice>;

/** `installer:addGb` takes every GB28181 model; one request shape per model, not per platform. */
export const GbAddRequest = z.discriminatedUnion('registration', [
  z
    .object({
      registration: z.literal('installerIds'),
      accountId: AccountId,
      devices: z.array(IvmGbDevice).min(1).max(100),
    })
    .strict(),
  z
    .object({
      registration: z.literal('credential'),
      accountId: AccountId,
      type: z.enum(['IPC', 'NVR']),
      /** An existing GB28181 credential's user name. */
      credential: z.string().min(1).max(64),
      quantity: z.number().int().min(1).max(100),
      description: z.string().max(500).optional(),
    })
    .strict(),
  z
    .object({
      registration: z.literal('generatedCode'),
      accountId: AccountId,
      /** NAME32: Chinese, letters, digits, _ and -, at most 32 (E15). */
      name: z
        .string()
        .regex(
          /^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u,
          msg('validation.name32', 'Chinese, letters, digits, _ - only; at most 32'),
        ),
      type: z.enum(['IPC', 'NVR']),
      transport: z.enum(['UDP', 'TCP']),
      /** GBPWD: digits only, 6–16. */
      password: z.string().regex(/^[0-9]{6,16}$/, msg('validation.gbpwd', '6–16 digits')),
      organizationId: z.string().min(1).max(64),
      clusterId: z.string().min(1).max(64),
      description: z.string().max(128).optional(),
    })
    .strict(),
  z
    .object({
      registration: z.literal('projectDevice'),
      accountId: AccountId,
      /** the VCS project (CorpId) */
      corpId: z.string().min(1).max(64),
      type: z.enum(['IPC', 'NVR']),
      name: z
        .string()
        .trim()
        .min(1, msg('validation.required', 'Required'))
        .max(64, msg('validation.max64', 'At most 64 characters')),
      /** where it is installed; the platform derives the city code and coordinates from it */
      address: z
        .string()
        .trim()
        .min(1, msg('validation.required', 'Required'))
        .max(64, msg('validation.max64', 'At most 64 characters')),
      /** NVR: how many channels to create */
      channels: z
        .number()
        .int()
        .min(1, msg('validation.nvrChannels', '1–256 channels'))
        .max(256, msg('validation.nvrChannels', '1–256 channels')),
      vendor: z.string().max(64, msg('validation.max64', 'At most 64 characters')).optional(),
      model: z.string().max(64, msg('validation.max64', 'At most 64 characters')).optional(),
      /** six-digit administrative division code, when the address alone does not resolve */
      cityCode: z
        .string()
        .regex(/^[0-9]{6}$/, msg('validation.cityCode', 'Six digits'))
        .optional(),
    })
    .strict(),
]);
export type GbAddRequest = z.infer<typeof GbAddRequest>;
/** The request of one GB28181 registration model. */
export type GbAddOf<M extends GbAddRequest['registration']> = Extract<GbAddRequest, { registration: M }>;

/** Bind a HoloSens (HOLO) device by its ID and the 8-character verification code on its label (IVM §6.6). */
export const HoloAddRequest = z
  .object({
    accountId: AccountId,
    deviceId: z
      .string()
      .regex(/^[A-Za-z0-9]{8,32}$/, msg('validation.holoId', '8–32 letters and digits, as printed on the device')),
    verificationCode: z
      .string()
      .regex(/^[A-Za-z0-9]{8}$/, msg('validation.holoCode', '8 letters and digits, as printed on the label')),
    description: z.string().max(128).optional(),
  })
  .strict();
export const HoloAddResponse = z.object({
  deviceId: z.string(),
  name: z.string(),
  type: z.string(),
  state: z.enum(['online', 'offline', 'unregistered', 'unknown']),
  manufacturer: z.string().nullable(),
});
export type HoloAddResponse = z.infer<typeof HoloAddResponse>;

/** One device of a Tencent IVC spreadsheet import (E24), with E15's rules. */
export const IvcImportRow = z.object({
  name: z
    .string()
    .regex(
      /^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u,
      msg('validation.name32', 'Chinese, letters, digits, _ - only; at most 32'),
    ),
  type: z.enum(['IPC', 'NVR']),
  transport: z.enum(['UDP', 'TCP']),
  password: z.string().regex(/^[0-9]{6,16}$/, msg('validation.gbpwd', '6–16 digits')),
  description: z.string().max(128).optional(),
});
export type IvcImportRow = z.infer<typeof IvcImportRow>;
export const ImportStartRequest = z
  .object({
    accountId: AccountId,
    organizationId: z.string().min(1).max(64),
    clusterId: z.string().min(1).max(64),
    rows: z.array(IvcImportRow).min(1).max(5000),
  })
  .strict();
export const ImportJobRequest = z.object({ accountId: AccountId, jobId: z.string().uuid() }).strict();
export const ImportProgress = z.object({
  finished: z.boolean(),
  rate: z.number(),
  total: z.number(),
  succeeded: z.number(),
  failed: z.number(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;
/** Per row, in the order sent; `file` is the platform's own result workbook (base64). */
export const ImportResult = z.object({
  rows: z.array(z.object({ ok: z.boolean(), message: z.string() })),
  file: z.string(),
});
/** An .xlsx the installer picked (base64, ≤ 10 MB): its first sheet as text. */
export const SheetReadRequest = z.object({ data: z.string().max(14_000_000) }).strict();
export const SheetContent = z.object({ header: z.array(z.string()), rows: z.array(z.array(z.string())) });

/** What the installer types into the camera; values the platform does not give are null. */
export const GbSettings = z.object({
  sipServerId: z.string().nullable(),
  sipDomain: z.string().nullable(),
  sipHost: z.string().nullable(),
  sipPort: z.string().nullable(),
  deviceId: z.string(),
  /** SIP authentication user name (null: the device ID). */
  username: z.string().nullable(),
  /** SIP digest algorithm to set in the camera, where the platform fixes one. */
  algorithm: z.enum(['MD5', 'SHA256']).optional(),
  /** The platform generated the password: Vigil keeps it in the OS keychain and prints it on a sheet main serves (`installer:gbSheet`); it never reaches the renderer. */
  passwordSheet: z.boolean().optional(),
  /** GB IDs of an NVR's channels, to map its inputs to. */
  channelIds: z.array(z.string()).optional(),
});
export type GbSettings = z.infer<typeof GbSettings>;

export const GbAddResponse = z.object({
  /** `deviceId` is what `installer:status` takes (Tencent: its device Id; IVM/VIS: the GB ID). */
  results: z.array(
    z.object({
      deviceId: z.string(),
      ok: z.boolean(),
      code: z.string().optional(),
      message: z.string().optional(),
      settings: GbSettings.optional(),
      /** The device was created but a later step failed: what is missing and why (adding it again would make a second device). */
      warning: z.string().optional(),
    }),
  ),
});

/** Where a new device goes and which service node takes it (Tencent E13, E14). */
export const InstallerOptions = z.object({
  organizations: z.array(z.object({ id: z.string(), name: z.string() })),
  clusters: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type GbAddResponse = z.infer<typeof GbAddResponse>;

/** A one-time URL (2 minutes) of the printable GB28181 sheet with the generated password. */
export const GbSheetRequest = z.object({ accountId: AccountId, deviceId: z.string().min(1).max(64) }).strict();
export const GbSheet = z.object({ url: z.string() });
export const DeviceStatusRequest = z.object({ accountId: AccountId, deviceId: z.string().max(64) }).strict();
export const DeviceStatus = z.object({
  state: z.enum(['online', 'offline', 'unregistered', 'unknown']),
  name: z.string().nullable(),
  /** An NVR's channel catalogue as the platform last read it from the device (Huawei VIS §4.3.5/§4.3.6). */
  channels: z.object({ query: z.enum(['idle', 'querying', 'queried']), count: z.number().int() }).optional(),
});
export type DeviceStatus = z.infer<typeof DeviceStatus>;

export const CredentialsRequest = z.object({ accountId: AccountId }).strict();
export const GbCredentials = z.object({
  credentials: z.array(z.object({ username: z.string(), type: z.string().nullable() })),
});
/** A VIS GB28181 credential; the password goes to the platform and nowhere else. */
export const CredentialCreateRequest = z
  .object({
    accountId: AccountId,
    username: z
      .string()
      .regex(/^[A-Za-z0-9]{1,32}$/, msg('validation.visUser', '1–32 letters and digits'))
      .optional(),
    type: z.enum(['NORMAL', 'ANONYMOUS']),
    password: GbPassword,
  })
  .strict();

/** A channel node id (`ch:<device>:<channel>`) of the account. */
export const ChannelRequest = z.object({ accountId: AccountId, channelId: z.string().max(300) }).strict();

/**
 * Stream settings of a channel (Huawei IVM §17): per stream, what is set and what the encoder
 * offers (encoders → resolutions → frame rates and a bit-rate range in kbit/s).
 */
export const StreamOptions = z.object({
  encoder: z.string(),
  resolutions: z.array(
    z.object({
      size: z.string(),
      frameRates: z.array(z.number().int()),
      minBitRate: z.number().int().nullable(),
      maxBitRate: z.number().int().nullable(),
    }),
  ),
});
export const StreamSetting = z.object({
  stream: z.number().int().min(0).max(2),
  encoder: z.string().max(16),
  resolution: z.string().max(16),
  frameRate: z.number().int().min(1).max(120),
  bitRate: z.number().int().min(1).max(65_536),
});
export type StreamSetting = z.infer<typeof StreamSetting>;
export const StreamSettings = z.object({
  streams: z.array(z.object({ current: StreamSetting, options: z.array(StreamOptions) })),
});
export type StreamSettings = z.infer<typeof StreamSettings>;
export const StreamSettingsSave = ChannelRequest.extend({ streams: z.array(StreamSetting).min(1).max(3) }).strict();

export const ChannelRenameRequest = ChannelRequest.extend({
  name: z
    .string()
    .trim()
    .min(1, msg('validation.required', 'Required'))
    .max(128)
    .regex(
      /^[\p{Script=Han}A-Za-z0-9 _-]+$/u,
      msg('validation.deviceName', 'Chinese, letters, digits, space, _ - only'),
    ),
}).strict();

/** The camera's own login password (IVM §16): SET when none exists yet, MODIFY afterwards. */
export const PasswordState = z.object({ state: z.enum(['SET', 'MODIFY']) });
export const PasswordSetRequest = ChannelRequest.extend({
  next: z
    .string()
    .min(8, msg('validation.devicePassword', '8–20 characters of at least two kinds'))
    .max(20, msg('validation.devicePassword', '8–20 characters of at least two kinds'))
    .refine(
      (p) => [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length >= 2,
      msg('validation.devicePassword', '8–20 characters of at least two kinds'),
    ),
  current: z.string().max(64).optional(),
}).strict();

/** Move devices (node ids `dev:…` or platform ids) into a group (`org:…` or its id): IVM §5.6, Tencent E23. */
export const DevicesMoveRequest = z
  .object({
    accountId: AccountId,
    deviceIds: z.array(z.string().max(300)).min(1).max(100),
    groupId: z.string().min(1).max(300),
  })
  .strict();
export const DevicesDeleteRequest = z
  .object({ accountId: AccountId, deviceIds: z.array(z.string().max(300)).min(1).max(100) })
  .strict();
export const DeviceOutcomes = z.object({
  results: z.array(
    z.object({ deviceId: z.string(), ok: z.boolean(), code: z.string().optional(), message: z.string().optional() }),
  ),
});

/**
 * Paid services of a channel (Huawei IVM §12–§13): MANAGE (live view, needed first), NORMAL
 * (continuous cloud recording), MOTION (motion recording), DATAFLOW (alarms, smart data, target
 * library). Each comes from a resource: a package with a channel quota, or pay-per-use.
 */
export const ServiceType = z.enum(['MANAGE', 'NORMAL', 'MOTION', 'DATAFLOW']);
export type ServiceType = z.infer<typeof ServiceType>;
export const ServiceResource = z.object({
  id: z.string(),
  type: ServiceType,
  name: z.string(),
  mode: z.enum(['PACKAGE', 'ONDEMAND']),
  /** channel quota of a package; null when pay-per-use */
  quota: z.number().nullable(),
  used: z.number(),
  /** NORMAL, ARREARS (in arrears) or UNAVAILABLE (frozen) */
  state: z.string(),
  expires: z.string(),
});
export type ServiceResource = z.infer<typeof ServiceResource>;
export const ChannelServices = z.object({
  bound: z.array(z.object({ type: ServiceType, resourceId: z.string(), name: z.string(), state: z.string() })),
  resources: z.array(ServiceResource),
});
export type ChannelServices = z.infer<typeof ChannelServices>;
export const ServiceEnableRequest = z
  .object({
    accountId: AccountId,
    channelIds: z.array(z.string().max(300)).min(1).max(100),
    resourceId: z.string().min(1).max(64),
    /** Retention days, 1–365: pay-per-use recording and data services only. */
    storageDays: z
      .number()
      .int()
      .min(1, msg('validation.storageDays', '1–365 days'))
      .max(365, msg('validation.storageDays', '1–365 days'))
      .optional(),
  })
  .strict();
export const ServiceDisableRequest = z
  .object({ accountId: AccountId, channelIds: z.array(z.string().max(300)).min(1).max(100), type: ServiceType })
  .strict();
