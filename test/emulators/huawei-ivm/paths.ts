/**
 * The IVM documents' endpoints: each path with the methods it takes (spec Part G and Part H, the
 * machine-readable endpoint tables; the v1 token path from §2's overview, which the emulator serves
 * beside v2). A request is checked against them before it is served, as §20.2 answers: a path no
 * endpoint has is 404 IVM.90000007 ("Url path is unavailable"), a documented path asked with
 * another method 405 IVM.90000009 ("request method not supported").
 */
export const ENDPOINTS: Array<[methods: string, path: string]> = [
  ['POST', '/v1/{user_id}/alarms/pictures'], // §10.2.2
  ['GET', '/v1/{user_id}/channels'], // §7.2
  ['POST', '/v1/{user_id}/device-orgs'], // §5.4
  ['GET', '/v1/{user_id}/device-orgs/tree'], // §5.7
  ['PUT DELETE', '/v1/{user_id}/device-orgs/{device_org_id}'], // §5.3, §5.5
  ['GET', '/v1/{user_id}/device-orgs/{device_org_id}/devices'], // §5.2
  ['POST', '/v1/{user_id}/device-orgs/{device_org_id}/move-devices'], // §5.6
  ['GET', '/v1/{user_id}/device-orgs/{device_org_id}/sub-orgs'], // §5.1
  ['GET', '/v1/{user_id}/devices'], // §6.2
  ['POST', '/v1/{user_id}/devices/ability'], // §19.1
  ['POST', '/v1/{user_id}/devices/batch-delete'], // §6.8
  ['POST', '/v1/{user_id}/devices/channels/cloud-live/url'], // §9.10
  ['POST', '/v1/{user_id}/devices/channels/p2p-connect/live'], // §9.11
  ['POST', '/v1/{user_id}/devices/channels/p2p-connect/playback'], // §9.12
  ['PUT', '/v1/{user_id}/devices/channels/record-alarm-plan'], // §11.9
  ['PUT', '/v1/{user_id}/devices/channels/record-config'], // §11.2
  ['POST PUT', '/v1/{user_id}/devices/channels/record-plan'], // §11.4, §11.5
  ['POST DELETE', '/v1/{user_id}/devices/channels/resources'], // §12.1, §12.2
  ['PUT', '/v1/{user_id}/devices/channels/time-policy'], // §11.7
  ['POST', '/v1/{user_id}/devices/gb/batch-add'], // §6.7
  ['POST', '/v1/{user_id}/devices/holosens'], // §6.6
  ['GET', '/v1/{user_id}/devices/snap'], // §10.3.1
  ['GET PUT', '/v1/{user_id}/devices/{device_id}'], // §6.1, §6.4
  ['PUT', '/v1/{user_id}/devices/{device_id}/channels/targets/authorization'], // §18.1
  ['GET PUT', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}'], // §7.1, §7.3
  ['GET', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/cloud-records'], // §9.5
  ['GET', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/cloud-records/playback-url'], // §9.6
  ['GET POST', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/control-lock'], // §8.1, §8.2
  ['GET POST PUT DELETE', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/cruise-track'], // §15.7, §15.8, §15.9, §15.10
  ['PUT', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/cruise-track/enable'], // §15.11
  ['GET', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/cruise-track/list'], // §15.6
  ['GET', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/device-records'], // §9.7
  ['GET', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/device-records/playback-url'], // §9.8
  ['GET', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/device-records/web-playback-url'], // §9.9
  ['GET POST PUT DELETE', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/preset-position'], // §15.1, §15.2, §15.3, §15.4
  ['POST', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/preset-position/move'], // §15.5
  ['POST', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/ptz/angle-spin'], // §8.3
  ['GET', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/record-alarm-plan'], // §11.8
  ['GET', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/record-config'], // §11.1
  ['GET', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/record-plan'], // §11.3
  ['GET', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/resources'], // §13.3
  ['GET PUT', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/security-key'], // §16.1, §16.2
  ['GET', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/stream-ability'], // §17.1
  ['GET POST', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/stream-detail'], // §17.2, §17.3
  ['GET', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/targets/authorization'], // §18.2
  ['GET', '/v1/{user_id}/devices/{device_id}/channels/{channel_id}/time-policy'], // §11.6
  ['GET', '/v1/{user_id}/devices/{device_id}/gateway'], // §6.3
  ['PUT', '/v1/{user_id}/devices/{device_id}/gb-account'], // §6.5
  ['POST', '/v1/{user_id}/enterprises/access-token'], // §4.1: §2's overview
  ['POST', '/v1/{user_id}/intelligence-data/pictures'], // §10.2.1
  ['POST', '/v1/{user_id}/media/urls/batch-delete'], // §9.4
  ['GET POST DELETE', '/v1/{user_id}/messages/callback'], // §10.1.1, §10.1.2, §10.1.3
  ['GET', '/v1/{user_id}/resources'], // §13.1
  ['GET', '/v1/{user_id}/resources/{resource_id}/channels'], // §13.2
  ['GET', '/v1/{user_id}/space-heatmap'], // §10.4.3
  ['GET', '/v1/{user_id}/statistics/people'], // §10.4.1
  ['GET POST PUT DELETE', '/v1/{user_id}/target-groups'], // §14.1, §14.2, §14.4, §14.6
  ['POST', '/v1/{user_id}/target/batch-delete'], // §14.14
  ['GET POST PUT', '/v1/{user_id}/targets'], // §14.8, §14.10, §14.13
  ['POST', '/v1/{user_id}/targets/batch-add'], // §14.12
  ['GET', '/v1/{user_id}/targets/count'], // §14.11
  ['GET', '/v1/{user_id}/targets/ids'], // §14.9
  ['GET', '/v1/{user_id}/time-heatmap'], // §10.4.2
  ['POST', '/v2/{user_id}/devices/channels/media/live-connections'], // §9.1
  ['GET', '/v2/{user_id}/devices/{device_id}/channels/{channel_id}/media/playback-connections'], // §9.3
  ['GET', '/v2/{user_id}/devices/{device_id}/channels/{channel_id}/media/records'], // §9.2
  ['POST', '/v2/{user_id}/enterprises/access-token'], // §4.1
  ['POST PUT DELETE', '/v2/{user_id}/target-groups'], // §14.3, §14.5, §14.7
];

const PATTERNS = ENDPOINTS.map(([methods, path]) => ({
  methods: methods.split(' '),
  re: new RegExp(`^${path.replace(/\{[a-z_]+\}/g, '[^/]+')}$`),
}));

/** The methods documented for this path (`/v1/<user>/…`), none when no endpoint has it. */
export function documentedMethods(path: string): string[] {
  return PATTERNS.filter((p) => p.re.test(path)).flatMap((p) => p.methods);
}
