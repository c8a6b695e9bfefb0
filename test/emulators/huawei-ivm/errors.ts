import { ivmErrorTable } from '../../../main/platforms/huawei-ivm/error-table';
import type { Reply } from '../common/http';

/**
 * §20.2 codes with the HTTP status and English message this emulator answers. Codes not listed
 * here take the spec's table (the generated error-table.ts is the document's data, not client logic).
 */
export const ERRORS: Record<string, [number, string]> = {
  'IVM.10000002': [401, 'Token overdue'],
  'IVM.10000004': [401, 'token is null.'],
  'IVM.10000005': [401, 'Token is invalid'],
  'IVM.10020000': [400, 'The userID illegal'],
  'IVM.10020001': [400, 'Request parameters is invalid'],
  'IVM.10020005': [400, 'The start time is illegal'],
  'IVM.10020006': [400, 'The end time is illegal'],
  'IVM.10020007': [400, 'Start time should less than end time'],
  'IVM.10020008': [400, 'Json deserialization failed'],
  'IVM.10020009': [400, 'The limit is illegal'],
  'IVM.10020010': [400, 'The offset is illegal'],
  'IVM.10020011': [400, 'The sort direction is illegal.'],
  'IVM.10020017': [400, 'The start time is null'],
  'IVM.10020018': [400, 'The end time is null'],
  'IVM.10020020': [400, 'The param ak is illegal'],
  'IVM.10020021': [400, 'The param sk is illegal'],
  'IVM.10020022': [400, 'The enterprise of ak sk is empty'],
  'IVM.10020048': [400, 'user id is not matched'],
  'IVM.10022000': [400, 'The device ID is illegal'],
  'IVM.10022001': [400, 'The channel id is illegal'],
  'IVM.10022002': [400, 'Device id is not belong to enterprise'],
  'IVM.10022003': [400, 'The device to be added or delete is empty'],
  'IVM.10022007': [400, "The channel doesn't exist"],
  'IVM.10022009': [400, 'The param of GBdevice password is illegal.'],
  'IVM.10022012': [400, 'The device name is illegal.'],
  'IVM.10022016': [400, 'The number of devices to be delete in batches exceeds the maximum 100'],
  'IVM.10022017': [400, 'The device to be delete is empty'],
  'IVM.10022024': [400, 'The GBDevice id is illegal'],
  'IVM.10022027': [400, 'The interface support GBDevice only'],
  'IVM.20000001': [400, 'The device already exists'],
  'IVM.10022035': [400, 'Move devices is not exist'],
  'IVM.20140004': [400, 'New password is weak.'],
  'IVM.20140005': [400, 'Device modify pwd to be the same as the original Pwd.'],
  'IVM.20140006': [400, 'Failed to verify device user name or password.'],
  'IVM.20140008': [400, 'Devices that only support the SDC.'],
  'IVM.20000057': [400, 'device security_key is empty.'],
  'IVM.10022005': [400, 'The device verificationCode is null.'],
  'IVM.10022008': [400, 'The param of GBdevice username is illegal.'],
  'IVM.10022010': [400, 'The edited param is empty.'],
  'IVM.10022023': [400, 'The channel name is illegal.'],
  'IVM.10022033': [400, 'The device verificationCode is illegal'],
  'IVM.20000003': [500, 'Verification code error'],
  'IVM.20000031': [400, 'The device state has been online.'],
  'IVM.20001001': [400, 'Device group not exists.'],
  'IVM.20001003': [400, 'The user cannot operate the device group.'],
  'IVM.20001004': [400, 'Device group name is exist.'],
  'IVM.20001005': [400, 'Device group name is invalid.'],
  'IVM.20001006': [400, 'Upper node is not exist.'],
  'IVM.20001007': [400, 'Device tree is too deep.'],
  'IVM.20001008': [400, 'Device exist,can not delete org'],
  'IVM.20001009': [400, 'The device group root node cannot be deleted.'],
  'IVM.10026000': [400, 'The param stream_type is illegal'],
  'IVM.10026001': [400, 'The param palyback_url is illegal.'],
  'IVM.10026002': [400, 'The param record_type is illegal'],
  'IVM.10026003': [400, 'The param live_protocol is illegal.'],
  'IVM.10026004': [400, 'The param stream_type is not support'],
  'IVM.20000010': [400, 'The device does not exist'],
  'IVM.20000029': [500, 'Device is used by others'],
  'IVM.20000036': [400, 'The device is offline and cannot be operated'],
  'IVM.20000043': [400, 'The channel was offline'],
  'IVM.20002001': [400, 'Control token expired, please to get control token again'],
  'IVM.20002002': [400, 'Left right turn control param illegal!'],
  'IVM.20002007': [400, 'Method control param illegal!'],
  'IVM.20002008': [500, 'not a PTZ device'],
  'IVM.20002009': [400, 'ControlToken invalid'],
  'IVM.20020011': [400, 'Devices that only support the HOLO protocol'],
  'IVM.20020008': [400, 'the channel access retrieval service is not enabled'],
  'IVM.90000011': [500, 'system busy'],
  'IVM.10020002': [400, 'Exceed max upload size'],
  'IVM.10020019': [500, 'empty query result, please check whether the face algorithm is open on the terminal'],
  'IVM.10027003': [400, 'The start of the industry is illegal'],
  'IVM.10027004': [400, 'The count of the industry is illegal'],
  'IVM.10027006': [400, 'The size of array param over limit'],
  'IVM.20090001': [400, 'invalid face group ID'],
  'IVM.20090002': [400, 'invalid face ID'],
  'IVM.20090003': [400, 'invalid gender'],
  'IVM.20090004': [400, 'invalid age'],
  'IVM.20090005': [400, 'invalid email'],
  'IVM.20090006': [400, 'invalid phone'],
  'IVM.20090009': [400, 'batch update face failed'],
  'IVM.20090011': [400, 'get face info failed'],
  'IVM.20090014': [400, 'batch import face failed'],
  'IVM.20090016': [400, 'The industry data flow service is not enabled for the channel'],
  'IVM.20090017': [400, 'GB device not support face operation'],
  'IVM.20090018': [400, 'face group not exist'],
  'IVM.20090023': [400, 'over group max count'],
  'IVM.20090024': [400, 'faces group is not allow to modify'],
  'IVM.20090025': [400, 'faces group name exist'],
  'IVM.20090026': [400, 'faces group is not empty'],
  'IVM.20090027': [400, 'face info not exist'],
  'IVM.20090028': [400, 'face group is empty,enable not allowed'],
  'IVM.20090029': [400, 'face group not allow to add face'],
};

export class IvmError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}
export const fail = (code: string): never => {
  throw new IvmError(code);
};

/** A batch item's `result` (§A.5): `IVM.0`/Success or the code with its message. */
export function itemResult(code: string): { code: string; msg: string } {
  return { code, msg: code === 'IVM.0' ? 'Success' : (ERRORS[code]?.[1] ?? (ivmErrorTable[code]?.[1] || code)) };
}

export function error(code: string): Reply {
  const spec = ivmErrorTable[code];
  const [status, msg] =
    ERRORS[code] ?? (spec ? [spec[0] === 200 ? 400 : spec[0], spec[1] || spec[2] || code] : [400, code]);
  return { status, body: { error_code: code, error_msg: msg } };
}
