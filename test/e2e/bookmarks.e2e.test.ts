import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import { BookmarkQuery } from '../../preload/contract';
import { closePagesAfterEach, pickOption } from '../helpers/browser';
import { parseManifest } from '../../main/evidence/manifest';
import { MemoryVault, tempDir } from '../helpers/core';
import { runVerifier } from '../helpers/evidence';
import { cursorOf } from '../helpers/playback';
import { startStack, type Stack } from '../helpers/stack';
import { openPlayback, zoomAtCursor } from './playback-page';

// A supervisor's bookmarks against the Tencent IVC emulator: in playback, B on a moment (a plain
// click on the timeline) and on a Shift+drag range, each named (a blank or 201-character name is
// refused in the form); both show as marks on the pane's row; a click on the range's mark selects
// it; the Bookmarks page lists them, filters by text and tag, and a click on one opens playback on
// its camera with its range selected. Main has kept each with its audit row.

let browser: Browser;
let host: WebHost;
let stack: Stack;
const exportDir = tempDir();
before(async () => {
  stack = await startStack({
    media: {
      channels: [{ id: 'p1', name: 'Play 1' }],
      recordingsPerChannel: 3,
      recordingMinutes: 1,
      recordingEveryMinutes: 5,
    },
    ivc: { media: true },
    core: { vault: new MemoryVault(), exportDir },
  });
  ({ host, browser } = stack);
  const { sim } = stack as Required<Stack>;
  for (const r of sim.recordings('p1')) await sim.prepareRecording('p1', r.start);
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

/** Names the bookmark in the open dialog (with `tag`, and `note` when given) and saves it. */
async function nameAndSave(page: Page, name: string, tag: string, note?: string): Promise<void> {
  const dialog = page.getByTestId('bookmark-dialog');
  await dialog.waitFor();
  await page.getByPlaceholder('What happened').fill(name);
  if (note) await page.getByTestId('bookmark-note').fill(note);
  await page.getByTestId('bookmark-tags').click();
  await page.keyboard.type(tag);
  await page.keyboard.press('Enter');
  await page.getByPlaceholder('What happened').click(); // closes the tag list, not the dialog
  await page.getByTestId('bookmark-save').click();
  await dialog.waitFor({ state: 'detached' });
}

const attr = async (page: Page, id: string, name: string) => Number(await page.getByTestId(id).getAttribute(name));

test('B marks a moment and a range in playback; the Bookmarks page finds one and opens it with its range selected', async () => {
  const page = await openPlayback(browser, host.url, '大门球机', 'cloud');
  const timeline = (await page.getByTestId('timeline').boundingBox())!;
  const rowY = timeline.y + 20 + 9; // the first track's row, under the ruler
  // Zoomed in around the cursor (on the camera's recordings, minutes ago): the places clicked below
  // are in the past at any hour (in the day view, half past the day's start is the future before noon).
  await zoomAtCursor(page, 20);

  // A plain click on the timeline puts the cursor there; B marks that moment.
  await page.mouse.click(timeline.x + timeline.width * 0.25, rowY);
  const moment = await cursorOf(page);
  await page.keyboard.press('b');
  await page.getByTestId('bookmark-dialog').waitFor();
  assert.match((await page.getByTestId('bookmark-camera').textContent()) ?? '', /大门球机 · Moment/);
  // Refused in the form, in words: no name, then a name over 200 characters.
  await page.getByTestId('bookmark-save').click();
  assert.equal(await page.getByTestId('bookmark-problem-name').textContent(), 'A bookmark needs a name');
  await page.getByPlaceholder('What happened').fill('x'.repeat(201));
  assert.equal(await page.getByTestId('bookmark-problem-name').textContent(), 'The name is over 200 characters');
  await nameAndSave(page, 'Gate opened', 'gate');
  const flag = page.getByTestId('timeline-mark-moment');
  await flag.waitFor();
  assert.equal(Number(await flag.getAttribute('data-start')), moment);
  assert.match((await flag.getAttribute('title')) ?? '', /^Gate opened · /);

  // Shift+drag selects a range; B marks it.
  const x1 = timeline.x + timeline.width * 0.5;
  await page.keyboard.down('Shift');
  await page.mouse.move(x1, rowY);
  await page.mouse.down();
  await page.mouse.move(x1 + 40, rowY, { steps: 4 });
  await page.mouse.move(x1 + 80, rowY, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await page.getByTestId('timeline-range').waitFor();
  const range = [await attr(page, 'timeline-range', 'data-start'), await attr(page, 'timeline-range', 'data-end')];
  assert.ok(range[1]! > range[0]!);
  await page.keyboard.press('b');
  await page.getByTestId('bookmark-dialog').waitFor();
  assert.match((await page.getByTestId('bookmark-camera').textContent()) ?? '', /Range \(/);
  // Esc closes the dialog only: the range stays selected (the page's Esc would clear it).
  await page.keyboard.press('Escape');
  await page.getByTestId('bookmark-dialog').waitFor({ state: 'detached' });
  assert.equal(await attr(page, 'timeline-range', 'data-start'), range[0]);
  await page.keyboard.press('b');
  await page.getByTestId('bookmark-dialog').waitFor();
  await nameAndSave(page, 'Van passing', 'vehicle', 'white van, plate unreadable');
  const band = page.getByTestId('timeline-mark-range');
  await band.waitFor();
  assert.deepEqual([Number(await band.getAttribute('data-start')), Number(await band.getAttribute('data-end'))], range);

  // A click on the band selects its range again (after Esc cleared it).
  await page.keyboard.press('Escape');
  await page.getByTestId('timeline-range').waitFor({ state: 'detached' });
  await band.click();
  await page.getByTestId('timeline-range').waitFor();
  assert.deepEqual(
    [await attr(page, 'timeline-range', 'data-start'), await attr(page, 'timeline-range', 'data-end')],
    range,
  );

  // Main kept both, each with its audit row (who: this seat; what: the fields).
  const kept = stack.core.bookmarks.list(BookmarkQuery.parse({ order: 'asc' })).bookmarks;
  assert.deepEqual(
    kept.map((b) => [b.name, b.startMs, b.endMs, b.tags]),
    [
      ['Gate opened', moment, moment, ['gate']],
      ['Van passing', range[0], range[1], ['vehicle']],
    ],
  );
  const [entry] = stack.core.bookmarks.history(kept[1]!.id).entries;
  assert.equal(entry!.action, 'create');
  assert.deepEqual(entry!.changes.note, [null, 'white van, plate unreadable']);

  // The Bookmarks page: both, then filtered by text, then by tag.
  await page.getByRole('menuitem', { name: 'Bookmarks' }).click();
  await page.getByTestId('bookmarks-page').waitFor();
  const rows = page.getByTestId('bookmark-row');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="bookmark-row"]').length === 2);
  await page.getByTestId('bookmarks-search').locator('input').fill('van');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="bookmark-row"]').length === 1);
  assert.match((await rows.first().textContent()) ?? '', /Van passing/);
  await page.getByTestId('bookmarks-search').locator('input').fill('');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="bookmark-row"]').length === 2);
  await pickOption(page, page.getByTestId('bookmarks-tag'), 'vehicle');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="bookmark-row"]').length === 1);
  assert.match((await rows.first().textContent()) ?? '', /Van passing/);

  // A click on it (the playback timeline left at the whole day): playback on its camera, its range
  // selected, the cursor at its start.
  await page.getByRole('menuitem', { name: 'Playback' }).click();
  await page.getByTestId('timeline-zoom-day').click();
  await page.getByRole('menuitem', { name: 'Bookmarks' }).click();
  await rows.first().getByTestId('bookmark-name-cell').click();
  await page.getByTestId('playback-page').waitFor();
  await page.getByTestId('timeline-range').waitFor();
  assert.deepEqual(
    [await attr(page, 'timeline-range', 'data-start'), await attr(page, 'timeline-range', 'data-end')],
    range,
  );
  assert.match((await page.getByTestId('track-label-0').textContent()) ?? '', /大门球机/);
  assert.ok(Math.abs((await cursorOf(page)) - range[0]!) < 10_000, 'the cursor opens at the bookmark');
  // The timeline zoomed to it: the band is a third of the row (ten minutes around it at least), not
  // the sliver it is in the day view.
  const span = range[1]! - range[0]!;
  const expected = (timeline.width * span) / Math.max(600_000, 3 * span);
  await page.waitForFunction(
    (w) => (document.querySelector('[data-testid="timeline-mark-range"]')?.getBoundingClientRect().width ?? 0) > w,
    0.8 * expected,
  );
});

test('the Bookmarks page edits and deletes this seat’s bookmark, shows its history, and refuses an end before the start', async () => {
  const T = Math.floor(Date.now() / 1000 - 3 * 3600) * 1000; // whole seconds: the picker types seconds
  const made = stack.core.bookmarks.create({
    accountId: stack.accounts.ivc!,
    channelId: 'ch-edit',
    cameraName: 'Yard',
    name: 'Ladder left out',
    note: '',
    tags: ['safety'],
    startMs: T,
    endMs: T + 60_000,
  });
  const page = await (await browser.newContext({ viewport: { width: 1500, height: 850 }, locale: 'en-US' })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: 'Bookmarks' }).click();
  const row = page.locator(`[data-testid="bookmark-row"][data-id="${made.id}"]`);
  await row.waitFor();

  // Edit: an end before the start is refused in the form (the dialog stays, nothing is sent).
  await row.getByTestId('bookmark-edit').click();
  await page.getByTestId('bookmark-dialog').waitFor();
  const end = page.getByTestId('bookmark-end');
  await end.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(new Date(T - 60_000).toLocaleString('sv-SE').slice(0, 19));
  await page.keyboard.press('Enter');
  await page.getByTestId('bookmark-problem-endMs').waitFor();
  assert.equal(await page.getByTestId('bookmark-problem-endMs').textContent(), 'The end is before the start');
  await page.getByTestId('bookmark-save').click();
  assert.equal(stack.core.bookmarks.get(made.id).rev, 1, 'nothing was sent');
  await end.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(new Date(T + 120_000).toLocaleString('sv-SE').slice(0, 19));
  await page.keyboard.press('Enter');
  await page.getByTestId('bookmark-problem-endMs').waitFor({ state: 'detached' });
  await page.getByPlaceholder('What happened').fill('Ladder put away');
  await page.getByTestId('bookmark-save').click();
  await page.getByTestId('bookmark-dialog').waitFor({ state: 'detached' });
  await row.filter({ hasText: 'Ladder put away' }).waitFor();
  assert.equal(stack.core.bookmarks.get(made.id).endMs, T + 120_000);

  // History: who and what changed.
  await row.getByTestId('bookmark-history').click();
  const entries = page.getByTestId('bookmark-history-entry');
  await entries.nth(1).waitFor();
  const edited = (await entries.nth(1).textContent()) ?? '';
  assert.match(edited, /Edited by seat-1/);
  assert.match(edited, /name: Ladder left out → Ladder put away/);
  await page.keyboard.press('Escape');

  // Delete: gone from the page and from main (kept there as a tombstone with its audit row).
  await row.getByTestId('bookmark-delete').click();
  await page.getByTestId('bookmark-delete-ok').click();
  await row.waitFor({ state: 'detached' });
  assert.throws(() => stack.core.bookmarks.get(made.id), /No such bookmark/);
  assert.deepEqual(
    stack.core.bookmarks.history(made.id).entries.map((e) => e.action),
    ['create', 'edit', 'delete'],
  );
});

test('evidence from a bookmark’s row: a signed folder with its clip and its words, which verify-evidence accepts', async () => {
  // A bookmark 15 s inside the camera's second recording, made on this seat as B would.
  const { sim } = stack as Required<Stack>;
  const recording = sim.recordings('p1')[1]!;
  const camera = stack.core.bookmarks.list(BookmarkQuery.parse({ text: 'Van' })).bookmarks[0]!;
  const made = stack.core.bookmarks.create({
    accountId: camera.accountId,
    channelId: camera.channelId,
    cameraName: camera.cameraName,
    name: 'Climber',
    note: 'over the east fence',
    tags: ['person'],
    startMs: recording.start + 5_000,
    endMs: recording.start + 20_000,
  });
  const page = await (await browser.newContext({ viewport: { width: 1500, height: 850 }, locale: 'en-US' })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: 'Bookmarks' }).click();
  await page.getByTestId('bookmarks-search').locator('input').fill('Climber');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="bookmark-row"]').length === 1);
  await page.getByTestId('bookmark-row').first().getByTestId('bookmark-evidence').click();
  await page.getByTestId('evidence-dialog').waitFor();
  await page.getByTestId('evidence-case').fill('CASE-fence');
  await page.getByTestId('evidence-start').click();
  const job = page.getByTestId('evidence-job').first();
  await page
    .waitForFunction(
      () =>
        /done|failed|cancelled/.test(
          document.querySelector('[data-testid="evidence-job"]')?.getAttribute('data-state') ?? '',
        ),
      undefined,
      { timeout: 90_000 },
    )
    .catch(async (e: Error) => {
      throw new Error(`${e.message}; the dialog says: ${await page.getByTestId('evidence-dialog').textContent()}`);
    });
  assert.equal(await job.getAttribute('data-state'), 'done', (await job.textContent()) ?? '');
  const folder = (await page.getByTestId('evidence-folder').first().textContent())!.trim();
  const manifest = parseManifest(fs.readFileSync(path.join(folder, 'manifest.json')));
  const clip = manifest.files.find((f) => f.name.endsWith('.mp4'))!;
  assert.deepEqual([new Date(clip.start).getTime(), new Date(clip.end).getTime()], [made.startMs, made.endMs]);
  const note = manifest.files.find((f) => f.name.endsWith('.note.txt'))!;
  assert.match(fs.readFileSync(path.join(folder, note.name), 'utf8'), /Climber[\s\S]*over the east fence/);
  const verified = runVerifier([folder], true);
  assert.equal(verified.code, 0, verified.out);
});
