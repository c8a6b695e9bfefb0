import { z } from 'zod';

/**
 * IVC `Data` shapes (spec tencent-ivc.md §3). Objects are loose (unknown fields kept); IDs that
 * the doc's examples sometimes print as numbers are read as strings; "empty" lists arrive as
 * null, "" or [] and all read as [].
 */
const id = z.union([z.string(), z.number().transform(String)]);
const int = z.number().int();
const emptyList = <T extends z.ZodType>(item: T) =>
  z.union([z.array(item), z.null().transform(() => []), z.literal('').transform(() => [])]);

export const Nothing = z.unknown();
export const LabelValue = z.looseObject({ Label: z.string(), Value: z.string() });
export const Domain = z.looseObject({
  Id: z.string(),
  PlayDomain: z.string(),
  InternalDomain: z.string(),
  HaveCert: int.optional(),
  Have_cert: int.optional(),
  ClusterId: z.string(),
  ClusterName: z.string().optional(),
});
export const AuthStream = z.looseObject({
  Id: z.string(),
  PushState: int,
  PushSecret: z.string(),
  PushExpired: int,
  PullState: int.optional(),
  PullStaE: int.optional(),
  PullSecret: z.string(),
  PullExpired: int,
});
export const Organization = z.looseObject({
  Id: id,
  Name: z.string(),
  ParentId: id,
  Level: int,
  Online: int.optional(),
  Total: int.optional(),
});
export type Organization = z.infer<typeof Organization>;
export const DeviceSummary = z.looseObject({
  Id: z.string(),
  Code: z.string(),
  Name: z.string(),
  AccessProtocol: int,
  Type: int,
  ClusterId: z.string(),
  ClusterName: z.string().optional(),
  TransportProtocol: int.optional(),
  Password: z.string().optional(),
  Description: z.string().optional(),
  Status: int,
  OrganizationId: id,
});
export type DeviceSummary = z.infer<typeof DeviceSummary>;
export const DeviceDetail = DeviceSummary.extend({
  Manufacturer: z.string().optional(),
  SipId: z.string().optional(),
  SipDomain: z.string().optional(),
  SipIp: z.string().optional(),
  SipPort: int.optional(),
  PushStreamUrl: z.string().optional(),
});
export const DevicePage = z.looseObject({ TotalCount: int, List: emptyList(DeviceSummary) });
export const Channel = z.looseObject({
  DeviceId: z.string(),
  ChannelId: z.string(),
  ChannelCode: z.string().optional(),
  Name: z.string(),
  Status: int,
  PtzType: int,
  Manufacturer: z.string().optional(),
  Resolution: z.string().optional(),
  State: int,
});
export type Channel = z.infer<typeof Channel>;
export const ImportProgress = z.looseObject({ State: int, Rate: z.number(), Total: int, Succeed: int, Failed: int });
export const Preset = z.looseObject({ Index: int, Name: z.string() });
export const LiveUrls = z.looseObject({ Flv: z.string(), Hls: z.string() });
export const Segment = z.looseObject({ Begin: int, End: int });
export const CloudTimeline = z.looseObject({ Tips: int, List: emptyList(Segment) });
export const HlsUrl = z.looseObject({ Hls: z.string() });
export const FlvUrl = z.looseObject({ Flv: z.string() });
export const DownloadUrl = z.looseObject({ Url: z.string() });
export const LifeCycle = z.looseObject({ Transition: int, Expiration: int });
export const PlanSummary = z.looseObject({
  PlanId: z.string(),
  PlanName: z.string(),
  TemplateId: z.string(),
  Describe: z.string(),
  LifeCycle: LifeCycle.optional(),
});
export const Plan = z.looseObject({
  PlanId: z.string(),
  PlanName: z.string(),
  TemplateId: z.string(),
  Describe: z.string(),
  StreamType: z.string().optional(),
  LifeCycle,
  Status: int,
});
export const PlanChannelPage = z.looseObject({
  PageNumber: int,
  PageSize: int,
  TotalCount: int,
  List: emptyList(
    z.looseObject({
      DeviceId: z.string(),
      DeviceName: z.string(),
      ChannelId: z.string(),
      ChannelName: z.string(),
      OrganizationName: z.string().optional(),
      InPlan: z.boolean().optional(),
    }),
  ),
});
export const ChannelIdList = z.looseObject({ List: emptyList(z.string()) });
export const ChannelCount = z.looseObject({ TotalCount: int, NotInPlanCount: int });
export const TimeSection = z.looseObject({ DayOfWeek: int, StartTime: z.string(), EndTime: z.string() });
export const Template = z.looseObject({
  TemplateId: z.string(),
  TemplateName: z.string(),
  TimeSections: z.array(TimeSection),
  DevTimeSections: z.array(TimeSection).optional(),
  Scale: int.optional(),
  CreateAt: z.string().optional(),
  UpdateAt: z.string().optional(),
});
export const RetrieveTask = z.looseObject({
  TaskId: z.string(),
  TaskName: z.string(),
  StartTime: int,
  EndTime: int,
  Mode: int,
  Expiration: int,
  Status: int,
  Capacity: z.number(),
  Channels: z.array(z.looseObject({ DeviceId: z.string(), ChannelId: z.string(), Status: int })).optional(),
});
export const AiTask = z.looseObject({
  TaskId: z.string(),
  Name: z.string(),
  Desc: z.string().optional(),
  Status: z.union([z.literal('on'), z.literal('off')]),
  ChannelList: z.array(z.string()).optional(),
  CallbackUrl: z.string().optional(),
  Templates: z.array(z.unknown()).optional(),
  CreatedTime: z.string().optional(),
  UpdatedTime: z.string().optional(),
});
export const AiTaskPage = z.looseObject({ TotalCount: int, List: emptyList(AiTask) });
export const AiResults = z.looseObject({
  TaskId: z.string(),
  AIResultCount: int,
  AIResults: z.record(z.string(), z.array(z.unknown())),
});
export const Gateway = z.looseObject({
  Id: z.string(),
  GwId: z.string(),
  Name: z.string(),
  Description: z.string().optional(),
  ClusterId: z.string(),
  ClusterName: z.string().optional(),
  Status: int.optional(),
  CreatedAt: z.string().optional(),
});
export const GatewayPage = z.looseObject({
  List: emptyList(Gateway),
  TotalCount: z.union([int, z.string().regex(/^\d+$/).transform(Number)]),
});
export const GatewayDetail = Gateway.extend({
  Version: z.array(z.looseObject({ Name: z.string(), Version: z.string() })).optional(),
});
export const GatewayMonitor = z.looseObject({
  UpFlow: int,
  DeviceTotal: int,
  DeviceOnline: int,
  DeviceOffline: int,
  ChannelTotal: int,
  ChannelOnline: int,
  ChannelOffline: int,
});
export const GatewayDevicePage = z.looseObject({
  List: emptyList(
    z.looseObject({
      Id: z.string(),
      Name: z.string(),
      ProtocolType: id,
      ProtocolTypeName: z.string().optional(),
      Type: id,
      Ip: z.string().optional(),
      Port: id.optional(),
      ChannelNum: int,
      Status: int,
    }),
  ),
  TotalCount: z.union([int, z.string().regex(/^\d+$/).transform(Number)]),
});
export const ProtocolType = z.looseObject({
  TypeCode: z.string(),
  Label: z.string().optional(),
  Lable: z.string().optional(),
  Value: int,
});
export const GatewayVersions = z.looseObject({
  Services: z.array(
    z.looseObject({
      Name: z.string(),
      Version: z.string(),
      LatestVersion: z.string(),
      IsUpdate: z.boolean(),
      UpgradeInfo: z.string().optional(),
    }),
  ),
});
export const GatewayUpdated = Gateway;
export { emptyList };
