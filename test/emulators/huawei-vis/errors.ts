import type { Reply } from '../common/http';

/** VIS error codes with the HTTP status the doc's table gives each (spec huawei-vis.md §1.11). */
export const visErrors: Record<string, [number, string]> = {
  'VIS.0001': [403, 'Token authentication failed'],
  'VIS.0002': [400, 'Invalid project ID'],
  'VIS.0003': [403, 'Request is not for the current region'],
  'VIS.0004': [403, 'Service not subscribed'],
  'VIS.0005': [404, 'Invalid request parameter'],
  'VIS.0006': [403, 'No permission for the operation'],
  'VIS.0007': [500, 'Internal service error'],
  'VIS.0008': [503, 'A dependent external service is unavailable'],
  'VIS.0009': [503, 'Error querying IAM credentials'],
  'VIS.0010': [404, 'The agency to VIS does not exist'],
  'VIS.0011': [503, "Failed to query the agency's permissions from IAM"],
  'VIS.0012': [404, "The agency's permissions for VIS do not meet requirements"],
  'VIS.0013': [500, 'Failed to create the agency for VIS'],
  'VIS.0014': [400, 'The number of created resources exceeds the quota or specification'],
  'VIS.0015': [404, 'User registration information not found'],
  'VIS.0017': [403, 'Cannot access OBS data'],
  'VIS.0018': [400, 'The user has already subscribed to the service'],
  'VIS.0101': [409, 'GB28181 credential username already exists'],
  'VIS.0102': [404, 'GB28181 credential username does not exist'],
  'VIS.0103': [409, 'Key name already exists'],
  'VIS.0104': [404, "The key's AK does not exist"],
  'VIS.0105': [400, 'Password must not equal the username or the username reversed'],
  'VIS.0106': [403, 'Old password is incorrect; cannot update the password'],
  'VIS.0107': [400, 'The key is in use by a video stream; cannot delete'],
  'VIS.0108': [400, 'The GB28181 credential is in use by a device; cannot delete'],
  'VIS.0109': [
    400,
    'Some devices using this GB28181 credential are in the invite-succeeded state; cannot change the password',
  ],
  'VIS.0201': [409, 'Stream name already exists'],
  'VIS.0202': [400, 'Stream ID does not exist'],
  'VIS.0203': [400, 'Stream is being deleted; operation impossible'],
  'VIS.0204': [400, 'Stream is not active; cannot get the endpoint'],
  'VIS.0205': [400, 'Dump is in progress; cannot change the dump settings'],
  'VIS.0206': [400, 'Stream is active; cannot change the access type'],
  'VIS.0207': [400, 'Invalid URL; cannot pull the stream'],
  'VIS.0208': [400, 'Invalid agency; first grant VIS permission to operate OBS'],
  'VIS.0209': [400, 'Invalid OBS path'],
  'VIS.0210': [403, 'No permission to operate the OBS bucket'],
  'VIS.0211': [400, 'The stream is not being pushed'],
  'VIS.0212': [400, 'The stream address is unreachable'],
  'VIS.0213': [400, 'H.265 encoding not supported'],
  'VIS.0214': [400, 'The stream is not dumped; cannot get dumped video'],
  'VIS.0215': [400, 'Start and end must be at most 7 days apart'],
  'VIS.0216': [400, 'Start must be earlier than end'],
  'VIS.0301': [409, 'Device ID already exists; cannot create'],
  'VIS.0302': [404, 'Device not found'],
  'VIS.0303': [400, 'Cannot delete a device that is registered'],
  'VIS.0304': [404, 'Channel not found'],
  'VIS.0305': [500, "Failed to activate the channel's stream"],
  'VIS.0306': [500, "Failed to release the channel's stream"],
  'VIS.0307': [400, 'Cannot delete a channel that is registered'],
  'VIS.0308': [400, 'Channel is already inviting, or has gone offline'],
  'VIS.0309': [400, 'Channel is already in the not-invited state'],
  'VIS.0310': [400, "The channel's access strategy is active; manual invite or cancel is not allowed"],
  'VIS.0311': [400, 'NVR channel list refresh is in progress, or the device is not an NVR'],
  'VIS.0312': [400, 'NVR is not registered or has gone offline; cannot refresh'],
  'VIS.0313': [400, 'An NVR cannot be given a TCP-priority setting'],
};

/** A thrown VIS error; the router turns it into `{error_code, error_msg}` with the table's status. */
export class VisError extends Error {
  constructor(
    readonly code: string,
    readonly detail?: string,
    readonly status?: number,
  ) {
    super(detail ?? code);
  }
}

export function visError(code: string, detail?: string): never {
  throw new VisError(code, detail);
}

export function errorReply(e: VisError): Reply {
  const [status, text] = visErrors[e.code] ?? [e.status ?? 400, e.code];
  return {
    status: e.status ?? status,
    body: { error_code: e.code, error_msg: e.detail ? `${text}: ${e.detail}` : text },
  };
}
