/**
 * The weekly schedule as a grid of half-hour slots (7 days × 48), and its conversion to the
 * platforms' time sections: day 1 = Monday … 7 = Sunday, `HH:mm:ss`, a full day ends at
 * 23:59:59 (24:00:00 is not allowed), neighbouring slots merged so sections never touch or overlap.
 */
export const SLOTS = 48;
export type Grid = boolean[][];
export interface Section {
  day: number;
  start: string;
  end: string;
}

export const emptyGrid = (): Grid => Array.from({ length: 7 }, () => Array<boolean>(SLOTS).fill(false));

const hhmmss = (slot: number) =>
  slot >= SLOTS ? '23:59:59' : `${String(Math.floor(slot / 2)).padStart(2, '0')}:${slot % 2 ? '30' : '00'}:00`;

function seconds(t: string): number {
  const [h, m, s] = t.split(':').map(Number);
  return (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
}

export function isAllDay(grid: Grid): boolean {
  return grid.every((day) => day.every(Boolean));
}

export function gridToSections(grid: Grid): Section[] {
  const out: Section[] = [];
  grid.forEach((slots, d) => {
    for (let i = 0; i < SLOTS; i++) {
      if (!slots[i]) continue;
      let j = i;
      while (j + 1 < SLOTS && slots[j + 1]) j++;
      out.push({ day: d + 1, start: hhmmss(i), end: hhmmss(j + 1) });
      i = j;
    }
  });
  return out;
}

/** Sections → slots; a slot is on when a section covers any part of it (plans made elsewhere may not align). */
export function sectionsToGrid(sections: Section[]): Grid {
  const grid = emptyGrid();
  for (const s of sections) {
    if (s.day < 1 || s.day > 7) continue;
    const from = seconds(s.start);
    const to = seconds(s.end);
    for (let i = 0; i < SLOTS; i++) if (from < (i + 1) * 1800 && to > i * 1800) grid[s.day - 1]![i] = true;
  }
  return grid;
}

/** Whether sections made elsewhere fall off the half-hour grid (the grid would change them). */
export function offGrid(sections: Section[]): boolean {
  return sections.some((s) => seconds(s.start) % 1800 !== 0 || !(seconds(s.end) % 1800 === 0 || s.end === '23:59:59'));
}

/** Paints slots [from, to] of a day (inclusive, either order) on or off. */
export function paint(grid: Grid, day: number, from: number, to: number, on: boolean): Grid {
  const next = grid.map((d) => d.slice());
  for (let i = Math.min(from, to); i <= Math.max(from, to); i++) next[day]![i] = on;
  return next;
}

/** Copies one day's slots to other days (e.g. Monday to the working week). */
export function copyDay(grid: Grid, from: number, to: number[]): Grid {
  const next = grid.map((d) => d.slice());
  for (const d of to) next[d] = grid[from]!.slice();
  return next;
}
