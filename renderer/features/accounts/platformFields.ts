import type { PlatformId } from '../../../preload/contract';

/**
 * The fields of each platform's account form. Formats are checked by main against the contract
 * (one source of truth); its per-field messages come back and are shown next to these fields.
 */
export interface FieldSpec {
  /** Path in the `accounts:add` request, e.g. ['config', 'userId'] or ['secret']. */
  path: string[];
  /** i18n key prefix under `field.` (label and help). */
  i18n: string;
  kind: 'text' | 'secret' | 'select';
  required: boolean;
  initial?: string;
  options?: { value: string; label: string }[];
  /** Shown only when this returns true for the current form values. */
  when?: (config: Record<string, unknown>) => boolean;
}

const visRegions = [
  { value: 'cn-north-4', label: 'cn-north-4 华北-北京四' },
  { value: 'cn-north-1', label: 'cn-north-1 华北-北京一' },
  { value: 'cn-east-3', label: 'cn-east-3 华东-上海一' },
  { value: 'cn-east-2', label: 'cn-east-2 华东-上海二' },
  { value: 'cn-south-1', label: 'cn-south-1 华南-广州' },
];

const isToken = (c: Record<string, unknown>) => c.authMode !== 'aksk';
const isAksk = (c: Record<string, unknown>) => c.authMode === 'aksk';

export const platformIds: PlatformId[] = ['huawei-ivm', 'huawei-vis', 'tencent-ivc', 'aliyun-vcs'];

export const platformFields: Record<PlatformId, FieldSpec[]> = {
  'huawei-ivm': [
    {
      path: ['config', 'endpoint'],
      i18n: 'endpoint',
      kind: 'text',
      required: true,
      initial: 'https://api-ivm.myhuaweicloud.com',
    },
    { path: ['config', 'userId'], i18n: 'userId', kind: 'text', required: true },
    { path: ['config', 'ak'], i18n: 'ak', kind: 'text', required: true },
    { path: ['secret'], i18n: 'sk', kind: 'secret', required: true },
  ],
  'huawei-vis': [
    {
      path: ['config', 'region'],
      i18n: 'region',
      kind: 'select',
      required: true,
      initial: 'cn-north-4',
      options: visRegions,
    },
    { path: ['config', 'projectId'], i18n: 'projectId', kind: 'text', required: true },
    {
      path: ['config', 'authMode'],
      i18n: 'authMode',
      kind: 'select',
      required: true,
      initial: 'token',
      options: [
        { value: 'token', label: 'field.authToken' },
        { value: 'aksk', label: 'field.authAksk' },
      ],
    },
    { path: ['config', 'domain'], i18n: 'domain', kind: 'text', required: true, when: isToken },
    { path: ['config', 'user'], i18n: 'user', kind: 'text', required: true, when: isToken },
    { path: ['secret'], i18n: 'password', kind: 'secret', required: true, when: isToken },
    { path: ['config', 'iamEndpoint'], i18n: 'iamEndpoint', kind: 'text', required: false, when: isToken },
    { path: ['config', 'ak'], i18n: 'ak', kind: 'text', required: true, when: isAksk },
    { path: ['secret'], i18n: 'sk', kind: 'secret', required: true, when: isAksk },
    { path: ['config', 'endpoint'], i18n: 'visEndpoint', kind: 'text', required: false },
  ],
  'tencent-ivc': [
    {
      path: ['config', 'endpoint'],
      i18n: 'endpoint',
      kind: 'text',
      required: true,
      initial: 'https://ivc.myqcloud.com',
    },
    { path: ['config', 'appId'], i18n: 'appId', kind: 'text', required: true },
    { path: ['config', 'secretId'], i18n: 'secretId', kind: 'text', required: true },
    { path: ['secret'], i18n: 'secretKey', kind: 'secret', required: true },
  ],
  'aliyun-vcs': [
    { path: ['config', 'regionId'], i18n: 'regionId', kind: 'text', required: true, initial: 'cn-hangzhou' },
    {
      path: ['config', 'endpoint'],
      i18n: 'endpoint',
      kind: 'text',
      required: true,
      initial: 'https://vcs.cn-hangzhou.aliyuncs.com',
    },
    { path: ['config', 'accessKeyId'], i18n: 'accessKeyId', kind: 'text', required: true },
    { path: ['secret'], i18n: 'accessKeySecret', kind: 'secret', required: true },
    { path: ['config', 'corpId'], i18n: 'corpId', kind: 'text', required: false },
  ],
};

/** The address an account connects to, for the accounts table. */
export function accountTarget(config: { platform: PlatformId } & Record<string, unknown>): string {
  if (config.platform === 'huawei-vis') {
    return String(config.endpoint ?? `https://vis.${String(config.region)}.myhuaweicloud.com`);
  }
  return String(config.endpoint ?? '');
}
