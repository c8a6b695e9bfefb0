/**
 * Saves the pane's current frame as a PNG named after the channel and the local time of the
 * picture (now for live video, the recorded time for playback).
 */
export async function saveSnapshot(video: HTMLVideoElement, channelName: string, at: Date = new Date()): Promise<string> {
  if (!video.videoWidth) throw new Error('No picture to capture yet');
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')!.drawImage(video, 0, 0);
  const blob = await new Promise<Blob | null>((ok) => canvas.toBlob(ok, 'image/png'));
  if (!blob) throw new Error('The frame could not be encoded');
  const stamp = at;
  const pad = (n: number) => String(n).padStart(2, '0');
  const name = `${channelName.replace(/[\\/:*?"<>|\s]+/g, '_')}_${stamp.getFullYear()}${pad(stamp.getMonth() + 1)}${pad(stamp.getDate())}_${pad(stamp.getHours())}${pad(stamp.getMinutes())}${pad(stamp.getSeconds())}.png`;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  return name;
}
