/**
 * Huawei IVM GB28181 rules (§6.7) that the installer form checks as the installer types and the
 * contract checks again before anything is sent. No zod here, so the renderer can import it as a value.
 */

/** §6.7 device_name: digits, Chinese, letters, space, `-` and `_`. */
export const IVM_NAME_CHARS = /^[\p{Script=Han}A-Za-z0-9 _-]+$/u;
/** §6.7 device_name: at most 128, by `ivmNameLength`. */
export const IVM_NAME_MAX = 128;

/** A name's length as IVM counts it: "一个汉字算两个字符" (a Chinese character counts as two). */
export function ivmNameLength(name: string): number {
  return [...name].reduce((n, c) => n + (/\p{Script=Han}/u.test(c) ? 2 : 1), 0);
}

/**
 * The "special" kind of a GB password: only the characters §6.7 and IVM.10022009 list (their
 * union) and space; a Chinese character or `€` is no symbol to the platform.
 */
export const GB_PASSWORD_SYMBOL = /[`~!@#$%^&*()\-_+=[\]{};:'",<.>/?\\ ]/;

/** How many of lower case, upper case, digits and the documented symbols a password has. */
export function gbPasswordKinds(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, GB_PASSWORD_SYMBOL].filter((r) => r.test(password)).length;
}
