import type { LibraryLimits } from '../../preload/contract';

/**
 * Face pictures checked in the renderer before anything is uploaded (§14.0.6): PNG or JPEG by
 * their signature, at most `maxImageBytes`, at most `maxImageSide` pixels a side (decoded, so a
 * damaged file is caught too). The result carries the raw base64 the API wants and a preview.
 */
export interface PictureCheck {
  fileName: string;
  bytes: number;
  width: number;
  height: number;
  /** Raw base64 (no data: prefix), present when the picture is acceptable. */
  base64?: string;
  preview?: string;
  problem?: string;
}

export function pictureKind(head: Uint8Array): 'png' | 'jpeg' | null {
  if (head.length >= 8 && head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return 'png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  return null;
}

/** The problem with a picture of this kind, size and dimensions, or null. */
export function pictureProblem(
  kind: 'png' | 'jpeg' | null,
  bytes: number,
  width: number,
  height: number,
  limits: Pick<LibraryLimits, 'maxImageBytes' | 'maxImageSide'>,
): string | null {
  if (!kind) return 'Not a PNG or JPEG picture';
  if (bytes > limits.maxImageBytes)
    return `${Math.ceil(bytes / 1024)} KB is over the ${Math.round(limits.maxImageBytes / 1024)} KB limit`;
  if (width > limits.maxImageSide || height > limits.maxImageSide)
    return `${width}×${height} px is over the ${limits.maxImageSide}×${limits.maxImageSide} limit`;
  if (width === 0 || height === 0) return 'The picture could not be decoded';
  return null;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export async function checkPicture(
  file: File,
  limits: Pick<LibraryLimits, 'maxImageBytes' | 'maxImageSide'>,
): Promise<PictureCheck> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const kind = pictureKind(bytes);
  let width = 0;
  let height = 0;
  if (kind) {
    try {
      const bitmap = await createImageBitmap(new Blob([bytes], { type: `image/${kind}` }));
      width = bitmap.width;
      height = bitmap.height;
      bitmap.close();
    } catch {
      // width/height stay 0: reported as undecodable
    }
  }
  const problem = pictureProblem(kind, bytes.length, width, height, limits);
  if (problem) return { fileName: file.name, bytes: bytes.length, width, height, problem };
  const base64 = toBase64(bytes);
  return {
    fileName: file.name,
    bytes: bytes.length,
    width,
    height,
    base64,
    preview: `data:image/${kind};base64,${base64}`,
  };
}
