/**
 * Transport limits shared by the contract, the browser host and its preload. No zod here, so
 * preload/web.ts can import it without bundling the schemas.
 *
 * The biggest requests the contract allows: a 10 MB workbook as base64 (`installer:readSheet`,
 * ≤ 14,000,000 characters) and 20 target pictures of ≤ 50 KiB each (§14.0.6). One frame carries
 * either with room to spare; a bigger request is refused alone, before it is sent.
 */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Base64 characters of `bytes` bytes. */
export const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;

/** Target pictures: PNG or JPEG of at most 50 KiB (Huawei IVM §14.0.6, every device family). */
export const MAX_PICTURE_BYTES = 50 * 1024;
