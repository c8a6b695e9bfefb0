import { z } from 'zod';
import type { IvcClient } from './client';
import * as S from './schemas';

/** Every IVC endpoint (spec tencent-ivc.md §7, E01–E83), one method each. */
type Q = Record<string, string | number | boolean | undefined>;
type Body = Record<string, unknown>;

export interface PlanChannel {
  DeviceId: string;
  ChannelId: string;
}
export interface TimeSection {
  DayOfWeek: number;
  StartTime: string;
  EndTime: string;
}
export interface LifeCycle {
  Transition: number;
  Expiration: number;
}

export class IvcApi {
  constructor(readonly client: IvcClient) {}

  private get<T extends z.ZodType>(schema: T, path: string, what: string, query?: Q) {
    return this.client.call(schema, { method: 'GET', path, query, what });
  }
  private send<T extends z.ZodType>(
    schema: T,
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    what: string,
    body?: Body | FormData,
    query?: Q,
  ) {
    return this.client.call(schema, { method, path, body, query, what });
  }

  // §3.1 service configuration
  listAllRegions = () => this.get(z.array(S.LabelValue), '/ivc/cms/config/getallregion', 'list service nodes');
  getCname = (ClusterId: string) =>
    this.get(z.string(), '/ivc/cms/domain/cname', 'get the CNAME target', { ClusterId });
  checkDomainRecord = (b: { PlayDomain: string; InternalDomain: string }) =>
    this.send(z.boolean(), 'POST', '/ivc/cms/domain/record', 'check the ICP filing', b);
  addDomain = (f: { PlayDomain: string; InternalDomain: string; ClusterId: string; Key: Blob; Cert: Blob }) =>
    this.send(S.Domain, 'POST', '/ivc/cms/domain/add', 'add a play domain', form(f));
  deleteDomain = (Id: string) =>
    this.send(S.Nothing, 'DELETE', '/ivc/cms/domain/delete', 'delete a play domain', undefined, { Id });
  /** E06 spells the certificate part `Cret`. */
  updateDomain = (f: { Id: string; Key: Blob; Cret: Blob }) =>
    this.send(S.Nothing, 'POST', '/ivc/cms/domain/update', 'replace the certificate', form(f));
  listDomains = () => this.get(S.emptyList(S.Domain), '/ivc/cms/domain/query', 'list play domains');
  setAuthStream = (b: z.input<typeof S.AuthStream>) =>
    this.send(S.AuthStream, 'POST', '/ivc/cms/config/authstream', 'set stream authentication', b);
  getAuthStream = () => this.get(S.AuthStream, '/ivc/cms/config/authstream', 'read stream authentication');

  // §3.2 organizations
  addOrganization = (b: { Name: string; ParentId: string }) =>
    this.send(S.Organization, 'POST', '/ivc/cms/organization/add', 'create an organization', b);
  deleteOrganization = (Id: string) =>
    this.send(S.Nothing, 'DELETE', '/ivc/cms/organization/delete', 'delete an organization', undefined, { Id });
  renameOrganization = (b: { Id: string; Name: string }) =>
    this.send(S.Organization, 'PUT', '/ivc/cms/organization/update', 'rename an organization', b);
  listOrganizations = () => this.get(S.emptyList(S.Organization), '/ivc/cms/organization/query', 'list organizations');

  // §3.3 devices
  listUserRegions = () =>
    this.get(z.array(S.LabelValue), '/ivc/cms/config/getuserregion', 'list service nodes for devices');
  addDevice = (b: {
    Name: string;
    AccessProtocol: 1 | 2;
    Type: 1 | 2;
    TransportProtocol?: 1 | 2;
    Password?: string;
    Description?: string;
    OrganizationId: string;
    ClusterId: string;
  }) => this.send(S.DeviceSummary, 'POST', '/ivc/cms/device/add', 'add a device', b);
  deleteDevice = (Id: string) =>
    this.send(S.Nothing, 'DELETE', '/ivc/cms/device/delete', 'delete a device', undefined, { Id });
  updateDevice = (
    Id: string,
    b: { Name?: string; TransportProtocol?: 1 | 2; Password?: string; Description?: string },
  ) => this.send(S.DeviceSummary, 'PUT', '/ivc/cms/device/update', 'update a device', { Id, ...b }, { Id });
  describeDevice = (Id: string) => this.get(S.DeviceDetail, '/ivc/cms/device/describe', 'read device details', { Id });
  /** 2 enable, 3 disable */
  setDeviceStatus = (Id: string, Status: 2 | 3) =>
    this.send(
      S.Nothing,
      'PUT',
      '/ivc/cms/device/updatestatus',
      Status === 3 ? 'disable a device' : 'enable a device',
      { Id, Status },
      { Id },
    );
  listDevices = (q: {
    OrganizationId: string;
    IsContainSubLevel?: boolean;
    AccessProtocol?: number;
    Type?: number;
    Status?: number;
    ClusterId?: string;
    Keyword?: string;
    Uin?: number;
    PageNumber?: number;
    PageSize?: number;
  }) => this.get(S.DevicePage, '/ivc/urm/resource/getUserResources', 'list devices', q);
  listChannels = (DeviceId: string) =>
    this.get(S.emptyList(S.Channel), '/ivc/cms/device/channel', 'list channels', { DeviceId });
  refreshDevice = (DeviceId: string) =>
    this.send(S.Nothing, 'POST', '/ivc/cms/device/refresh', 'refresh the channel catalogue', { DeviceId });
  moveDevices = (Ids: string[], OrganizationId: string) =>
    this.send(S.Nothing, 'PUT', '/ivc/cms/device/updateorg', 'move devices', { Ids, OrganizationId });
  importDevices = (f: { JobId: string; AccessProtocol: '1' | '2'; OrganizationId: string; File: Blob }) =>
    this.send(S.Nothing, 'POST', '/ivc/cms/device/import/sync', 'import devices', form(f));
  importProgress = (JobId: string) =>
    this.get(S.ImportProgress, '/ivc/cms/device/import/progress', 'read import progress', { JobId });
  importResult = (JobId: string) =>
    this.client.call(z.instanceof(Buffer), {
      method: 'GET',
      path: '/ivc/cms/device/import/result',
      query: { JobId },
      what: 'download the import result',
      file: true,
    });
  importTemplate = (AccessProtocol: 1 | 2) =>
    this.client.call(z.instanceof(Buffer), {
      method: 'GET',
      path: '/ivc/cms/device/export/template',
      query: { AccessProtocol },
      what: 'download the import template',
      file: true,
    });
  exportDevices = (b: {
    OrganizationId: string;
    IsContainSubLevel: boolean;
    IsAllResource?: boolean;
    DeviceIds?: string[];
  }) =>
    this.client.call(z.instanceof(Buffer), {
      method: 'POST',
      path: '/ivc/urm/resource/template',
      body: b,
      what: 'export devices',
      file: true,
    });

  // §3.4 PTZ and presets
  ptz = (b: { ChannelId: string; Type: PtzCommand; Speed: number }) =>
    this.send(S.Nothing, 'POST', '/ivc/cms/control/ptz', `PTZ ${b.Type}`, b);
  preset = (b: { ChannelId: string; Cmd: 'goto' | 'set' | 'del'; Index: number }) =>
    this.send(S.Nothing, 'POST', '/ivc/cms/control/preset/mange', `preset ${b.Cmd} ${b.Index}`, b);
  listPresets = (ChannelId: string) =>
    this.send(S.emptyList(S.Preset), 'POST', '/ivc/cms/control/preset/get', 'list presets', { ChannelId });

  // §3.5 live
  liveUrls = (b: { DeviceId?: string; ChannelId?: string; StreamType?: 1 | 2; Resolution?: string }) =>
    this.send(S.LiveUrls, 'POST', '/ivc/cms/control/stream', 'get live URLs', b);

  // §3.6 recordings
  cloudTimeline = (q: { DeviceId: string; ChannelId: string; StartTime: number; EndTime: number }) =>
    this.get(S.CloudTimeline, '/ivc/record/filelist/query', 'read the cloud timeline', q);
  deviceTimeline = (b: { ChannelId: string; Start: number; End: number }) =>
    this.send(S.emptyList(S.Segment), 'POST', '/ivc/cms/control/timeline', 'read the device timeline', b);
  cloudPlaybackUrl = (q: { ChannelId: string; StartTime: number; EndTime: number }) =>
    this.get(S.HlsUrl, '/ivc/record/playback/url', 'get a cloud playback URL', q);
  devicePlaybackUrl = (b: { ChannelId: string; Start: number; End: number; StreamType?: 1 | 2; Resolution?: string }) =>
    this.send(S.FlvUrl, 'POST', '/ivc/cms/control/record', 'get a device playback URL', b);
  devicePlaybackControl = (b: {
    ChannelId: string;
    Session: string;
    Action: 'play' | 'pause' | 'stop';
    Pos?: number;
    Scale?: number;
  }) => this.send(S.Nothing, 'POST', '/ivc/cms/control/recordctl', `playback ${b.Action}`, b);
  downloadUrl = (b: { ChannelId: string; BeginTime: string; EndTime: string; FileType: 'mp4' | 'ts' }) =>
    this.send(S.DownloadUrl, 'POST', '/ivc/vds/VideoDownloadUrl', 'get a download URL', b);

  // §3.7 real-time-to-cloud plans
  addRealtimePlan = (b: {
    TemplateId: string;
    PlanName: string;
    Describe?: string;
    StreamType?: string;
    LifeCycle: LifeCycle;
    Channels?: PlanChannel[];
    OrganizationId?: string[];
  }) => this.send(S.PlanSummary, 'POST', '/ivc/record/plan/add', 'create a cloud recording plan', b);
  deleteRealtimePlan = (PlanId: string) =>
    this.send(S.Nothing, 'POST', '/ivc/record/plan/delete', 'delete a cloud recording plan', { PlanId });
  modifyRealtimePlan = (
    PlanId: string,
    Mod: {
      PlanName?: string;
      TemplateId?: string;
      Describe?: string;
      StreamType?: string;
      LifeCycle?: LifeCycle;
      Add?: PlanChannel[];
      Del?: string[];
      OrganizationId?: string[];
    },
  ) => this.send(S.PlanSummary, 'POST', '/ivc/record/plan/modify', 'modify a cloud recording plan', { PlanId, Mod });
  getRealtimePlan = (PlanId: string) =>
    this.get(S.Plan, '/ivc/record/plan/query/byid', 'read a cloud recording plan', { PlanId });
  listRealtimePlans = () => this.get(S.emptyList(S.Plan), '/ivc/record/planlist/query', 'list cloud recording plans');
  realtimePlanChannels = (q: {
    PlanId: string;
    DeviceName?: string;
    ChannelName?: string;
    OrganizationName?: string;
    PageSize: number;
    PageNumber: number;
  }) => this.get(S.PlanChannelPage, '/ivc/record/devicelist/query', 'list plan channels', q);
  allPlannedChannels = () => this.get(S.ChannelIdList, '/ivc/record/allchannellist/query', 'list channels in plans');
  organizationChannels = (q: {
    OrganizationId: string;
    DeviceName?: string;
    ChannelName?: string;
    PageSize: number;
    PageNumber: number;
  }) => this.get(S.PlanChannelPage, '/ivc/record/channellist/query', 'list organization channels', q);
  countUnplannedChannels = (OrganizationId: string[]) =>
    this.send(S.ChannelCount, 'POST', '/ivc/record/channelcount/query', 'count channels outside plans', {
      OrganizationId,
    });

  // §3.8 recording-to-cloud plans
  addBackupPlan = (b: {
    TemplateId: string;
    PlanName: string;
    Describe?: string;
    LifeCycle: LifeCycle;
    Channels?: PlanChannel[];
    OrganizationId?: string[];
  }) => this.send(S.PlanSummary, 'POST', '/ivc/recordbackup/plan/add', 'create a recording upload plan', b);
  deleteBackupPlan = (PlanId: string) =>
    this.send(S.Nothing, 'POST', '/ivc/recordbackup/plan/delete', 'delete a recording upload plan', { PlanId });
  modifyBackupPlan = (
    PlanId: string,
    Mod: {
      PlanName?: string;
      TemplateId?: string;
      Describe?: string;
      LifeCycle?: LifeCycle;
      Add?: PlanChannel[];
      Del?: string[];
      OrganizationId?: string[];
    },
  ) =>
    this.send(S.PlanSummary, 'POST', '/ivc/recordbackup/plan/modify', 'modify a recording upload plan', {
      PlanId,
      Mod,
    });
  getBackupPlan = (PlanId: string) =>
    this.get(S.Plan, '/ivc/recordbackup/plan/query/byid', 'read a recording upload plan', { PlanId });
  listBackupPlans = () =>
    this.get(S.emptyList(S.Plan), '/ivc/recordbackup/planlist/query', 'list recording upload plans');
  /** PlanId '' lists the channels of every recording upload plan. */
  backupPlanChannels = (q: {
    PlanId: string;
    DeviceName?: string;
    ChannelName?: string;
    OrganizationName?: string;
    PageSize: number;
    PageNumber: number;
  }) => this.get(S.PlanChannelPage, '/ivc/recordbackup/devicelist/query', 'list upload plan channels', q);

  // §3.9–3.10 templates
  addRealtimeTemplate = (b: { TemplateName: string; TimeSections: TimeSection[] }) =>
    this.send(S.Template, 'POST', '/ivc/record/template/add', 'create a recording template', b);
  deleteRealtimeTemplate = (TemplateId: string) =>
    this.send(S.Nothing, 'POST', '/ivc/record/template/delete', 'delete a recording template', { TemplateId });
  modifyRealtimeTemplate = (TemplateId: string, Mod: { TemplateName?: string; TimeSections?: TimeSection[] }) =>
    this.send(S.Template, 'POST', '/ivc/record/template/modify', 'modify a recording template', { TemplateId, Mod });
  getRealtimeTemplate = (TemplateId: string) =>
    this.get(S.Template, '/ivc/record/template/query', 'read a recording template', { TemplateId });
  listRealtimeTemplates = () =>
    this.get(S.emptyList(S.Template), '/ivc/record/templatelist/query', 'list recording templates');
  addBackupTemplate = (b: {
    TemplateName: string;
    TimeSections: TimeSection[];
    DevTimeSections: TimeSection[];
    Scale: 1 | 2 | 4;
  }) => this.send(S.Template, 'POST', '/ivc/recordbackup/template/add', 'create an upload template', b);
  deleteBackupTemplate = (TemplateId: string) =>
    this.send(S.Nothing, 'POST', '/ivc/recordbackup/template/delete', 'delete an upload template', { TemplateId });
  modifyBackupTemplate = (
    TemplateId: string,
    Mod: { TemplateName?: string; TimeSections: TimeSection[]; DevTimeSections: TimeSection[]; Scale: 1 | 2 | 4 },
  ) =>
    this.send(S.Template, 'POST', '/ivc/recordbackup/template/modify', 'modify an upload template', {
      TemplateId,
      Mod,
    });
  getBackupTemplate = (TemplateId: string) =>
    this.get(S.Template, '/ivc/recordbackup/template/query', 'read an upload template', { TemplateId });
  listBackupTemplates = () =>
    this.get(S.emptyList(S.Template), '/ivc/recordbackup/templatelist/query', 'list upload templates');

  // §3.11 retrieval
  addRetrieveTask = (b: {
    TaskName: string;
    StartTime: number;
    EndTime: number;
    Mode: 1;
    Expiration: number;
    Channels: PlanChannel[];
  }) => this.send(S.RetrieveTask, 'POST', '/ivc/record/retrievetask/add', 'create a retrieval task', b);
  deleteRetrieveTask = (TaskId: string) =>
    this.send(S.Nothing, 'POST', '/ivc/record/retrievetask/delete', 'delete a retrieval task', { TaskId });
  getRetrieveTask = (TaskId: string) =>
    this.get(S.RetrieveTask, '/ivc/record/retrievetaskdetails/query', 'read a retrieval task', { TaskId });
  listRetrieveTasks = () =>
    this.get(S.emptyList(S.RetrieveTask), '/ivc/record/retrievetasklist/query', 'list retrieval tasks');

  // §3.12 analytics
  createAiTask = (b: {
    Name: string;
    Desc?: string;
    ChannelList: string[];
    CallbackUrl?: string;
    IsStartTheTask?: boolean;
    Templates: unknown[];
  }) => this.send(S.AiTask, 'POST', '/ivc/ai/task', 'create an analytics task', b);
  updateAiTask = (
    TaskId: string,
    b: { Name?: string; Desc?: string; ChannelList?: string[]; CallbackUrl?: string; Templates?: unknown[] },
  ) => this.send(S.AiTask, 'PUT', '/ivc/ai/task', 'update an analytics task', b, { TaskId });
  deleteAiTask = (TaskId: string) =>
    this.send(S.Nothing, 'DELETE', '/ivc/ai/task', 'delete an analytics task', undefined, { TaskId });
  getAiTask = (TaskId: string) => this.get(S.AiTask, '/ivc/ai/task/detail', 'read an analytics task', { TaskId });
  /** The doc names the type filter both DetectType (table) and AIType (URL): both are sent. */
  aiResults = (q: {
    TaskId: string;
    ChannelId: string;
    Object?: string;
    DetectType?: string;
    BeginTime?: number;
    EndTime?: number;
    PageNumber?: number;
    PageSize?: number;
  }) => this.get(S.AiResults, '/ivc/ai/task/result', 'read analytics results', { ...q, AIType: q.DetectType });
  listAiTasks = (
    q: { IsContainChannelList?: boolean; IsContainTemplate?: boolean; PageNumber?: number; PageSize?: number } = {},
  ) => this.get(S.AiTaskPage, '/ivc/ai/tasks', 'list analytics tasks', q);
  setAiTaskStatus = (TaskId: string, Status: 'on' | 'off') =>
    this.send(S.Nothing, 'PUT', '/ivc/ai/task/status', `switch an analytics task ${Status}`, undefined, {
      TaskId,
      Status,
    });

  // §3.13 gateways
  listGateways = (
    q: { PageNumber?: number; PageSize?: number; Name?: string; ClusterId?: string; Status?: number } = {},
  ) => this.get(S.GatewayPage, '/ivc/cms/gateway/list', 'list gateways', q);
  describeGateway = (Id: string) => this.get(S.GatewayDetail, '/ivc/cms/gateway/describe', 'read a gateway', { Id });
  gatewayMonitor = (Id: string) =>
    this.get(S.GatewayMonitor, '/ivc/cms/gateway/monitor', 'read gateway monitoring', { Id });
  gatewayDevices = (Id: string, q: { PageNumber?: number; PageSize?: number } = {}) =>
    this.get(S.GatewayDevicePage, '/ivc/cms/gateway/devicelist', 'list gateway devices', { Id, ...q });
  gatewayProtocols = () => this.get(z.array(S.ProtocolType), '/ivc/cms/gateway/protocoltype', 'list gateway protocols');
  gatewayVersions = (Id: string) =>
    this.get(S.GatewayVersions, '/ivc/cms/gateway/version', 'read gateway versions', { Id });
  upgradeGateway = (Id: string) =>
    this.send(S.Nothing, 'POST', '/ivc/cms/gateway/upgrade', 'upgrade a gateway', undefined, { Id });
  updateGateway = (b: { Id: string; Name: string; Description?: string }) =>
    this.send(S.GatewayUpdated, 'PUT', '/ivc/cms/gateway/update', 'update a gateway', b);
  deleteGateway = (Id: string) =>
    this.send(S.Nothing, 'DELETE', '/ivc/cms/gateway/delete', 'delete a gateway', undefined, { Id });
}

export type PtzCommand =
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'leftup'
  | 'rightup'
  | 'leftdown'
  | 'rightdown'
  | 'zoomin'
  | 'zoomout'
  | 'focusfar'
  | 'focusnear'
  | 'irisin'
  | 'irisout';

function form(fields: Record<string, string | Blob>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}
