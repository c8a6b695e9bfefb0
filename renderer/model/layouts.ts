/**
 * Wall layouts as cells on a square grid. Pure, so layout maths is unit-tested.
 * "1+5" = one 2×2 pane + 5 on a 3×3 grid; "1+7" = 3×3 + 7 on 4×4; "1+12" = 2×2 + 12 on 4×4;
 * "10" = two 2×2 panes + 8 on 4×4; "CxR" = a custom grid.
 */
export interface Cell {
  col: number;
  row: number;
  colSpan: number;
  rowSpan: number;
}
export interface Layout {
  id: string;
  cols: number;
  rows: number;
  cells: Cell[];
}

export const layoutIds = ['1', '4', '1+5', '1+7', '9', '10', '1+12', '16', '25', '36', '49', '64'] as const;
/** Digits 1–9 on the keyboard. */
export const layoutByDigit: Record<string, string> = {
  '1': '1',
  '2': '4',
  '3': '1+5',
  '4': '1+7',
  '5': '9',
  '6': '10',
  '7': '1+12',
  '8': '16',
  '9': '25',
};

function grid(cols: number, rows: number): Cell[] {
  const cells: Cell[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) cells.push({ col: c, row: r, colSpan: 1, rowSpan: 1 });
  return cells;
}

/** Big panes first (in the given spots), then every free 1×1 cell in reading order. */
function withBig(n: number, big: Array<{ col: number; row: number; span: number }>): Cell[] {
  const taken = new Set<string>();
  const cells: Cell[] = big.map((b) => {
    for (let r = b.row; r < b.row + b.span; r++) for (let c = b.col; c < b.col + b.span; c++) taken.add(`${c},${r}`);
    return { col: b.col, row: b.row, colSpan: b.span, rowSpan: b.span };
  });
  for (const cell of grid(n, n)) if (!taken.has(`${cell.col},${cell.row}`)) cells.push(cell);
  return cells;
}

export function layoutFor(id: string): Layout {
  const custom = /^(\d+)x(\d+)$/.exec(id);
  if (custom) {
    const cols = Math.min(8, Math.max(1, Number(custom[1])));
    const rows = Math.min(8, Math.max(1, Number(custom[2])));
    return { id: `${cols}x${rows}`, cols, rows, cells: grid(cols, rows) };
  }
  switch (id) {
    case '1+5':
      return { id, cols: 3, rows: 3, cells: withBig(3, [{ col: 0, row: 0, span: 2 }]) };
    case '1+7':
      return { id, cols: 4, rows: 4, cells: withBig(4, [{ col: 0, row: 0, span: 3 }]) };
    case '1+12':
      return { id, cols: 4, rows: 4, cells: withBig(4, [{ col: 1, row: 1, span: 2 }]) };
    case '10':
      return {
        id,
        cols: 4,
        rows: 4,
        cells: withBig(4, [
          { col: 0, row: 0, span: 2 },
          { col: 2, row: 0, span: 2 },
        ]),
      };
    default: {
      const n = Math.round(Math.sqrt(Number(id)));
      if (!Number.isInteger(n) || n < 1 || n * n !== Number(id) || n > 8) return layoutFor('4');
      return { id: String(n * n), cols: n, rows: n, cells: grid(n, n) };
    }
  }
}

/** Number of panes a layout shows, e.g. "1+5" → 6. */
export function paneCount(id: string): number {
  return layoutFor(id).cells.length;
}

/** Sub stream for small panes, main when a pane is at least ~640 px wide (or maximized). */
export function streamForWidth(widthPx: number, maximized: boolean): 'main' | 'sub' {
  return maximized || widthPx >= 640 ? 'main' : 'sub';
}
