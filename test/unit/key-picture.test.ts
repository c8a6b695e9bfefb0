import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { containSize } from '../../renderer/media/key-frames/contain-size';
import { KeyFrameDecoder, KeyFrameDecoders } from '../../renderer/media/key-frames/key-frame-decoder';
import { KeyPictures } from '../../renderer/media/key-frames/key-picture';
import { saveSnapshot as saveSnapshotIn, snapshotName } from '../../renderer/media/view/snapshot';

/** The window's decoders and key pictures (MediaWindow makes them once a window; these tests share one). */
const decoders = new KeyFrameDecoders();
const pictures = new KeyPictures(decoders);
const closeKeyFrameDecoder = (video: HTMLVideoElement, d: KeyFrameDecoder) => decoders.close(video, d);
const setKeyFrameDecoder = (video: HTMLVideoElement, d: KeyFrameDecoder) => decoders.set(video, d);
const setMovingToPicture = (video: HTMLVideoElement, moving: boolean) => decoders.setMoving(video, moving);
const currentPicture = (video: HTMLVideoElement, waitMs: number) => pictures.currentPicture(video, waitMs);
const isSteppedByKeyPicture = (video: HTMLVideoElement) => pictures.isSteppedByKeyPicture(video);
const keyPicturesShown = (video: HTMLVideoElement) => pictures.keyPicturesShown(video);
const paneImage = (video: HTMLVideoElement) => pictures.paneImage(video);
const showKeyPicture: KeyPictures['showKeyPicture'] = (...a) => pictures.showKeyPicture(...a);
const saveSnapshot = (video: HTMLVideoElement, name: string) => saveSnapshotIn(video, name, undefined, pictures);

test('containSize: the whole picture in the pane, aspect kept, never 0', () => {
  assert.deepEqual(containSize(640, 360, 200, 112.5), { resizeWidth: 200, resizeHeight: 113 });
  assert.deepEqual(containSize(640, 360, 400, 400), { resizeWidth: 400, resizeHeight: 225 }); // letterboxed
  assert.deepEqual(containSize(360, 640, 400, 225), { resizeWidth: 127, resizeHeight: 225 }); // pillarboxed
  assert.deepEqual(containSize(640, 360, 0, 0), { resizeWidth: 1, resizeHeight: 1 });
  assert.deepEqual(containSize(640, 360, 1920, 1080), { resizeWidth: 640, resizeHeight: 360 }); // never scaled up
});

/** A pane's video and canvas as the painter uses them, and what reached the canvas. */
function pane(name: string) {
  const frames = { n: 1 };
  const shown: string[] = [];
  const data = { end: 2 };
  const video = {
    readyState: 4,
    videoWidth: 640,
    videoHeight: 360,
    currentTime: 0,
    paused: false,
    seeking: false,
    buffered: { length: 1, start: () => 0, end: () => data.end },
    pause() {
      this.paused = true;
    },
    play() {
      this.paused = false;
      return Promise.resolve();
    },
    clientWidth: 200, // the pane's box: a hidden video keeps its layout
    clientHeight: 112,
    style: { visibility: '' },
    getVideoPlaybackQuality: () => ({ totalVideoFrames: frames.n }),
    name,
  };
  const canvas = {
    width: 300, // a canvas's own size until set
    height: 150,
    clientWidth: 0, // display: none until its first picture
    clientHeight: 0,
    dataset: {} as Record<string, string>,
    style: { display: 'none' },
    getContext: (kind: string) =>
      kind === 'bitmaprenderer' ? { transferFromImageBitmap: (b: { label: string }) => shown.push(b.label) } : null,
  };
  return {
    video,
    canvas,
    data,
    frames,
    shown,
    start: (playerSteps = false) =>
      showKeyPicture(video as unknown as HTMLVideoElement, canvas as unknown as HTMLCanvasElement, { playerSteps }),
  };
}

/** Gives a stub video add/removeEventListener (one listener a type); what is listening, to fire by hand. */
function listenOn(video: object): Record<string, () => void> {
  const listeners: Record<string, () => void> = {};
  Object.assign(video, {
    addEventListener: (type: string, cb: () => void) => (listeners[type] = cb),
    removeEventListener: (type: string, cb: () => void) => listeners[type] === cb && delete listeners[type],
  });
  return listeners;
}

const g = globalThis as Record<string, unknown>;
const saved = { ...g };
let frameCallbacks: Array<() => void> = [];
let made: string[] = [];
function stubPage() {
  frameCallbacks = [];
  made = [];
  g.window = { devicePixelRatio: 1 };
  g.requestAnimationFrame = (cb: () => void) => frameCallbacks.push(cb);
  g.scheduler = { yield: () => Promise.resolve() };
  g.createImageBitmap = (v: { name: string; getVideoPlaybackQuality(): { totalVideoFrames: number } }, o: object) => {
    const label = `${v.name}#${v.getVideoPlaybackQuality().totalVideoFrames} ${JSON.stringify(o)}`;
    made.push(label);
    const { resizeWidth: width, resizeHeight: height } = o as { resizeWidth: number; resizeHeight: number };
    return Promise.resolve({ label, width, height, close() {} });
  };
}
/** Lets the painter's awaits run, then runs the animation frame it asked for. */
async function nextFrame() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  const run = frameCallbacks;
  frameCallbacks = [];
  run.forEach((cb) => cb());
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
afterEach(() => {
  for (const k of ['window', 'requestAnimationFrame', 'scheduler', 'createImageBitmap', 'HTMLVideoElement', 'document'])
    g[k] = saved[k];
});

test('key-frame panes: pictures made pane-sized, shown together in one animation frame; the video hides only once its canvas has one', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'] });
  t.mock.method(performance, 'now', () => Date.now()); // the rounds' spacing, on the mocked clock
  stubPage();
  // A pane not laid out (no box yet) gets no picture: its video stays.
  const none = pane('none');
  none.video.clientWidth = 0;
  const stopNone = none.start();
  await nextFrame();
  assert.deepEqual([made, none.video.style.visibility], [[], '']);
  stopNone();
  const a = pane('a');
  const b = pane('b');
  const stopA = a.start();
  assert.equal(a.video.style.visibility, '', 'until its picture is on the canvas, the video shows');
  const stopB = b.start(); // comes while a's first round is under way: a round of its own follows
  await nextFrame();
  await nextFrame();
  assert.deepEqual(a.shown.slice(0, 1), ['a#1 {"resizeWidth":199,"resizeHeight":112,"resizeQuality":"low"}']);
  assert.equal(b.shown.length, 1); // (a's is made again after its step to the newest frame)
  assert.equal(a.video.style.visibility, 'hidden');
  assert.equal(a.canvas.style.display, 'block');
  assert.deepEqual(
    [a.canvas.width, a.canvas.height],
    [199, 112],
    "the canvas takes the bitmap's size (object-fit goes by it)",
  );
  // Hidden, its clock would run past its data: it is paused on its newest frame and stepped as data comes.
  assert.equal(a.video.paused, true);
  assert.ok(Math.abs(a.video.currentTime - 1.99) < 1e-9);
  assert.equal(isSteppedByKeyPicture(a.video as unknown as HTMLVideoElement), true);
  a.data.end = 2.08;
  t.mock.timers.tick(100);
  assert.ok(Math.abs(a.video.currentTime - 2.07) < 1e-9, 'on the newest frame once more data came');

  t.mock.timers.tick(500);
  await nextFrame(); // the stepped-to frames are drawn

  // Nothing new decoded: nothing made again at the next round.
  made = [];
  t.mock.timers.tick(500);
  await nextFrame();
  assert.deepEqual(made, []);

  // Both decode a new frame: both new pictures land in the same animation frame.
  a.frames.n = 3;
  b.frames.n = 2;
  const shownBefore = a.shown.length;
  t.mock.timers.tick(500);
  for (let i = 0; i < 20; i++) await Promise.resolve();
  assert.equal(frameCallbacks.length, 1, 'one animation frame for the batch');
  assert.equal(a.shown.length, shownBefore, 'not shown before that frame');
  await nextFrame();
  assert.equal(a.shown.at(-1)?.startsWith('a#3'), true);
  assert.equal(b.shown.at(-1)?.startsWith('b#2'), true);

  // At most every 500 ms: a frame decoded just after a round waits for the next.
  a.frames.n = 4;
  t.mock.timers.tick(200);
  for (let i = 0; i < 20; i++) await Promise.resolve();
  assert.equal(frameCallbacks.length, 0, 'no round 200 ms after the last');
  t.mock.timers.tick(300);
  await nextFrame();
  assert.equal(a.shown.at(-1)?.startsWith('a#4'), true);

  // Back to full rate: the video shows again, the canvas goes.
  stopA();
  assert.equal(a.video.paused, false, 'plays on from its newest frame');
  assert.equal(isSteppedByKeyPicture(a.video as unknown as HTMLVideoElement), false);
  assert.equal(a.video.style.visibility, '');
  assert.equal(a.canvas.style.display, 'none');
  a.frames.n = 5;
  b.frames.n = 3;
  t.mock.timers.tick(500);
  await nextFrame();
  assert.equal(a.shown.at(-1)?.startsWith('a#4'), true, 'a stopped pane is drawn no more');
  assert.equal(b.shown.at(-1)?.startsWith('b#3'), true);
  stopB();
});

test('an HLS key-frame pane: drawn like the others, but its player steps it (key-picture neither pauses nor seeks it)', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'] });
  t.mock.method(performance, 'now', () => Date.now());
  stubPage();
  const h = pane('h');
  h.video.paused = true; // hls-player.ts paused it on a segment's first frame
  h.video.currentTime = 0.51;
  let seeks = 0;
  const video = h.video as { currentTime: number };
  let at = video.currentTime;
  Object.defineProperty(video, 'currentTime', {
    get: () => at,
    set: (v: number) => {
      seeks++;
      at = v;
    },
  });
  const stop = h.start(true);
  await nextFrame();
  assert.equal(h.shown.length, 1);
  assert.deepEqual([h.video.style.visibility, h.canvas.style.display], ['hidden', 'block']);
  assert.equal(isSteppedByKeyPicture(h.video as unknown as HTMLVideoElement), false, 'its own stall timer watches it');
  h.data.end = 3; // more buffered: an FLV pane would be put on its newest frame here
  t.mock.timers.tick(600);
  await nextFrame();
  assert.equal(seeks, 0, 'not stepped here');
  // The player moves it to the next segment's first frame: that picture is drawn.
  at = 1.51;
  h.frames.n = 2;
  t.mock.timers.tick(600);
  await nextFrame();
  assert.equal(h.shown.at(-1)?.startsWith('h#2'), true);
  stop();
  assert.deepEqual([h.video.paused, h.video.style.visibility, h.canvas.style.display], [true, '', 'none']);
});

test('a pane whose key frames a decoder turns into pictures: shown as they come, nothing made from its video, which is stepped every 10 s only and put on its newest frame before it shows again', async (t) => {
  // (a clock well past the earlier tests' rounds: the painter's spacing is module-wide)
  t.mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'], now: 1_000_000 });
  t.mock.method(performance, 'now', () => Date.now());
  stubPage();
  const f = pane('f');
  const listeners = listenOn(f.video);
  const fire = (type: string) => listeners[type]?.();
  let seeks = 0;
  let at = 0;
  Object.defineProperty(f.video, 'currentTime', {
    get: () => at,
    set: (v: number) => {
      seeks++;
      at = v;
    },
  });
  const video = f.video as unknown as HTMLVideoElement;
  const decoder = new KeyFrameDecoder(decoders);
  setKeyFrameDecoder(video, decoder);
  decoder.configure(Uint8Array.from([1, 0x4d, 0x40, 0x1e, 0xff, 0xe1, 0])); // an H.264 stream: it can make the pictures
  const boxes: unknown[] = [];
  const show = decoder.show.bind(decoder);
  decoder.show = (box) => (boxes.push(box), show(box));
  const picture = (label: string) =>
    decoder.answer({
      type: 'picture',
      id: decoder.id,
      bitmap: { label, width: 199, height: 112, close() {} } as never,
    });

  const stop = f.start();
  await nextFrame();
  assert.deepEqual(boxes, [{ width: 200, height: 112 }], "the decoder is told the pane's box");
  assert.deepEqual([made, f.shown, f.video.style.visibility], [[], [], ''], 'no picture yet: the video shows');
  picture('k1');
  t.mock.timers.tick(100);
  await nextFrame();
  assert.deepEqual(f.shown, [], 'a burst of pictures may still be coming: the round waits for it to settle');
  t.mock.timers.tick(100);
  await nextFrame();
  assert.deepEqual(f.shown, ['k1'], '150 ms without a new one: shown');
  assert.deepEqual([f.video.style.visibility, f.canvas.style.display], ['hidden', 'block']);
  assert.equal((f.canvas as unknown as HTMLCanvasElement).dataset.source, 'decoder');
  assert.equal(keyPicturesShown(video), 1, 'progress for the stall watchdog');
  assert.deepEqual([f.video.paused, seeks], [true, 1], 'paused on its newest frame when first hidden');
  // More data comes every GOP: the video is not stepped for it, the decoder's pictures are shown.
  for (let s = 1; s <= 9; s++) {
    f.data.end = 2 + s;
    picture(`k${s + 1}`);
    t.mock.timers.tick(1000);
    await nextFrame();
  }
  assert.equal(seeks, 1, 'not stepped within 10 s');
  assert.equal(f.shown.at(-1), 'k10');
  assert.deepEqual(made, [], 'nothing made from the video');
  f.data.end = 12;
  t.mock.timers.tick(1000);
  assert.deepEqual([seeks, at], [2, 11.99], 'stepped once 10 s have passed: its buffer stays bounded');
  // Back to full rate with its video seconds behind its data: put on its newest frame first, the
  // picture kept until the seek is done.
  f.data.end = 14;
  stop();
  assert.deepEqual([seeks, at, f.video.paused], [3, 13.99, false]);
  assert.deepEqual([f.video.style.visibility, f.canvas.style.display], ['hidden', 'block']);
  fire('seeked');
  assert.deepEqual([f.video.style.visibility, f.canvas.style.display], ['', 'none']);
  assert.equal(listeners.seeked, undefined, 'its listener gone with the reveal');

  // Cut to key frames again before its video showed: the picture stays up and the video hidden,
  // paused and stepped; the reveal of the earlier release is called off.
  const stop2 = f.start();
  picture('k11');
  t.mock.timers.tick(500);
  await nextFrame();
  assert.deepEqual([f.shown.at(-1), f.video.style.visibility], ['k11', 'hidden']);
  f.data.end = 16;
  stop2();
  assert.deepEqual([f.video.style.visibility, f.canvas.style.display], ['hidden', 'block'], 'behind: kept');
  const stop3 = f.start();
  assert.deepEqual([f.video.paused, isSteppedByKeyPicture(video)], [true, true]);
  fire('seeked');
  t.mock.timers.tick(1000);
  assert.deepEqual([f.video.style.visibility, f.canvas.style.display], ['hidden', 'block'], 'still the picture');
  picture('k12');
  t.mock.timers.tick(500);
  await nextFrame();
  assert.equal(f.shown.at(-1), 'k12');
  stop3();
  fire('seeked');

  // Back to full rate after its key frames went to the worker only (flv-player.ts): its video is on
  // its newest frame already, but that frame is older than the picture, which stays up until the
  // player says the video plays what comes now.
  const stop4 = f.start();
  picture('k13');
  t.mock.timers.tick(500);
  await nextFrame();
  assert.equal(f.shown.at(-1), 'k13');
  setMovingToPicture(video, true);
  stop4();
  const look = () => [f.video.style.visibility, f.canvas.style.display];
  assert.deepEqual([look(), f.video.paused], [['hidden', 'block'], false], 'kept, the video playing on');
  fire('timeupdate');
  assert.deepEqual(look(), ['hidden', 'block'], 'still before what comes now');
  setMovingToPicture(video, false);
  fire('timeupdate');
  assert.deepEqual(look(), ['', 'none'], 'past it: the video shows');
  closeKeyFrameDecoder(video, decoder);
});

test('an HLS pane whose segments a decoder turns into pictures: shown from the decoder, never stepped here; given back while its player seeks to the newest segment, the picture stays until that seek is done', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'], now: 2_000_000 });
  t.mock.method(performance, 'now', () => Date.now());
  stubPage();
  const h = pane('h');
  h.video.paused = true; // hls-player.ts paused it
  const listeners = listenOn(h.video);
  let seeks = 0;
  let at = 0.51;
  Object.defineProperty(h.video, 'currentTime', {
    get: () => at,
    set: (v: number) => {
      seeks++;
      at = v;
    },
  });
  const video = h.video as unknown as HTMLVideoElement;
  const decoder = new KeyFrameDecoder(decoders);
  setKeyFrameDecoder(video, decoder);
  decoder.configure(Uint8Array.from([1, 0x4d, 0x40, 0x1e, 0xff, 0xe1, 0]));
  const stop = h.start(true);
  await nextFrame();
  decoder.answer({
    type: 'picture',
    id: decoder.id,
    bitmap: { label: 's1', width: 199, height: 112, close() {} } as never,
  });
  t.mock.timers.tick(500);
  await nextFrame();
  assert.deepEqual([h.shown, made], [['s1'], []], "the decoder's picture, nothing made from the video");
  assert.equal((h.canvas as unknown as HTMLCanvasElement).dataset.source, 'decoder');
  h.data.end = 12;
  t.mock.timers.tick(11_000);
  await nextFrame();
  assert.equal(seeks, 0, 'its player steps it, not key-picture');
  // Full rate: the player has put the video on its newest segment (seeking) before the pane is given back.
  h.video.seeking = true;
  stop();
  assert.deepEqual([h.video.style.visibility, h.canvas.style.display], ['hidden', 'block'], 'picture kept');
  h.video.seeking = false;
  listeners.seeked?.();
  assert.deepEqual([h.video.style.visibility, h.canvas.style.display], ['', 'none']);
  assert.equal(seeks, 0);
  closeKeyFrameDecoder(video, decoder);
});

test('what reads a pane takes its key picture while that covers the video (whose frame is as old as the reduction); a decoder that fails leaves that old frame undrawn', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'], now: 3_000_000 });
  t.mock.method(performance, 'now', () => Date.now());
  stubPage();
  const p = pane('p');
  const listeners = listenOn(p.video);
  const video = p.video as unknown as HTMLVideoElement;
  const canvas = p.canvas as unknown as HTMLCanvasElement;
  const decoder = new KeyFrameDecoder(decoders);
  setKeyFrameDecoder(video, decoder);
  decoder.configure(Uint8Array.from([1, 0x4d, 0x40, 0x1e, 0xff, 0xe1, 0]));
  const stop = p.start();
  await nextFrame();
  assert.equal(paneImage(video), video, 'no picture yet: the video is what the pane shows');
  decoder.answer({
    type: 'picture',
    id: decoder.id,
    bitmap: { label: 'k1', width: 199, height: 112, close() {} } as never,
  });
  t.mock.timers.tick(500);
  await nextFrame();
  assert.deepEqual(p.shown, ['k1']);
  assert.equal(paneImage(video), canvas, 'its picture covers the video');

  // The worker fails: the video makes the pictures again (flv-player.ts gives it the key frames),
  // from the next one it decodes, not from the frame it held all along.
  decoder.answer({ type: 'failed', id: decoder.id, reason: 'the key-frame decoder worker failed' });
  made = [];
  t.mock.timers.tick(600);
  await nextFrame();
  assert.deepEqual(made, [], "the video's old frame is not drawn");
  p.frames.n = 2;
  p.data.end = 3;
  t.mock.timers.tick(600);
  await nextFrame();
  assert.equal(p.shown.at(-1)?.startsWith('p#2'), true, 'its new one is');
  assert.equal(paneImage(video), canvas);

  // Back to full rate, the video on its way to what comes now: a snapshot asked meanwhile waits for it.
  setMovingToPicture(video, true);
  stop();
  assert.equal(paneImage(video), canvas, 'the picture still covers it');
  let got: unknown = null;
  void currentPicture(video, 3000).then((image) => (got = image));
  t.mock.timers.tick(300);
  await nextFrame();
  assert.equal(got, null, 'waiting');
  setMovingToPicture(video, false);
  listeners.timeupdate?.();
  assert.equal(paneImage(video), video, 'revealed: the video');
  t.mock.timers.tick(100);
  await nextFrame();
  assert.equal(got, video);

  // One that stays covered: after the wait, the picture.
  const q = pane('q');
  const qVideo = q.video as unknown as HTMLVideoElement;
  const stopQ = q.start();
  t.mock.timers.tick(500);
  await nextFrame();
  assert.equal(paneImage(qVideo), q.canvas);
  let qGot: unknown = null;
  void currentPicture(qVideo, 1000).then((image) => (qGot = image));
  for (let i = 0; i < 11; i++) {
    t.mock.timers.tick(100);
    await nextFrame();
  }
  assert.equal(qGot, q.canvas, 'the key picture, not the video');
  stopQ();
  closeKeyFrameDecoder(video, decoder);
});

test('a snapshot of a key-frame pane: the video once it shows what comes now, else (the pane changed meanwhile) the picture shown at the click, named by its own time; no picture at all is an error', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'], now: Date.UTC(2026, 10, 26, 10, 0, 0) });
  t.mock.method(performance, 'now', () => Date.now());
  t.mock.method(URL, 'createObjectURL', () => 'data:,'); // (no blob: URL to revoke later)
  stubPage();
  // The page's pieces saveSnapshot uses: canvases it copies into, the link it saves through.
  const drawn: unknown[] = [];
  const downloads: string[] = [];
  g.HTMLVideoElement = class {};
  g.document = {
    createElement: (tag: string) =>
      tag === 'canvas'
        ? {
            width: 0,
            height: 0,
            getContext: () => ({ drawImage: (image: unknown) => drawn.push(image) }),
            toBlob: (done: (b: object) => void) => done({}),
          }
        : {
            click() {
              downloads.push((this as unknown as { download: string }).download);
            },
          },
  };
  const shot = async (p: ReturnType<typeof pane>) => {
    Object.setPrototypeOf(p.video, (g.HTMLVideoElement as { prototype: object }).prototype);
    Object.assign(p.video, { isConnected: true });
    const listeners = listenOn(p.video);
    const video = p.video as unknown as HTMLVideoElement;
    const stop = p.start();
    t.mock.timers.tick(500);
    await nextFrame();
    assert.equal(paneImage(video), p.canvas, 'its key picture covers the video');
    const shownAt = new Date(Date.now());
    t.mock.timers.tick(3000); // the picture stays up a while (no new frame)
    // Asked for a snapshot: the wall brings the pane to full rate, its video on its way to what comes now.
    setMovingToPicture(video, true);
    stop();
    let name: unknown = null;
    void saveSnapshot(video, 'Gate 1').then(
      (n) => (name = n),
      (e: unknown) => (name = e),
    );
    return { video, listeners, shownAt, name: () => name };
  };
  const settle = async (ms: number) => {
    for (let i = 0; i < ms / 100; i++) {
      t.mock.timers.tick(100);
      await nextFrame();
    }
  };

  // The video catches up: its frame, named now.
  const a = await shot(pane('a'));
  await settle(300);
  assert.equal(a.name(), null, 'waiting for the video');
  setMovingToPicture(a.video, false);
  a.listeners.timeupdate?.();
  await settle(200);
  assert.equal(a.name(), snapshotName('Gate 1', new Date(Date.now() - 200), 'png'));
  assert.equal(drawn.at(-1), a.video);

  // The pane reconnects while the snapshot waits (its video no longer the page's): the picture of
  // the click, named by when it was shown (3 s before the click), not the lost video's frame.
  const b = await shot(pane('b'));
  (b.video as unknown as { isConnected: boolean }).isConnected = false;
  setMovingToPicture(b.video, false);
  b.listeners.timeupdate?.();
  await settle(200);
  assert.equal(b.name(), snapshotName('Gate 1', b.shownAt, 'png'));
  assert.notEqual(b.name(), snapshotName('Gate 1', new Date(Date.now()), 'png'));
  assert.equal(drawn.filter((x) => x === b.video).length, 0, "the lost video's frame is not taken");

  // A video with no frame and no key picture: said so, nothing saved.
  const c = pane('c');
  Object.setPrototypeOf(c.video, (g.HTMLVideoElement as { prototype: object }).prototype);
  c.video.readyState = 1;
  const before = downloads.length;
  await assert.rejects(saveSnapshot(c.video as unknown as HTMLVideoElement, 'Gate 1'), {
    key: 'media.snapshotNoPicture',
  });
  assert.equal(downloads.length, before);
  assert.deepEqual(downloads, [a.name(), b.name()]);
});
