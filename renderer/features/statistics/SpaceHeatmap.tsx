import { useEffect, useMemo, useRef } from 'react';
import type { SpaceHeat } from '../../../preload/contract';
import { heatLegend, heatRgba } from '../../../common/heatmap';

/** The grid's grey values; bytes past the stated size are ignored, missing ones stay cold (0). */
export function decodeCells(heat: Pick<SpaceHeat, 'cells' | 'width' | 'height'>): Uint8Array {
  const bytes = Uint8Array.from(atob(heat.cells), (c) => c.charCodeAt(0));
  const cells = new Uint8Array(heat.width * heat.height);
  cells.set(bytes.subarray(0, cells.length));
  return cells;
}

/**
 * The space heat map (§10.4.3) over the camera's picture: the low-resolution grid is painted at
 * its own size with the §20.3 colours and stretched over the picture by the browser, which
 * smooths it bilinearly as the document suggests; values 0–11 stay transparent.
 */
export function SpaceHeatmap(props: { heat: SpaceHeat; picture: string | null; alpha: number }) {
  const { heat, picture, alpha } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const cells = useMemo(() => decodeCells(heat), [heat]);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    c.width = heat.width;
    c.height = heat.height;
    ctx.putImageData(new ImageData(heatRgba(cells, alpha) as ImageDataArray, heat.width, heat.height), 0, 0);
  }, [cells, heat.width, heat.height, alpha]);

  return (
    <div
      style={{
        position: 'relative',
        width: '100%',
        maxWidth: 960,
        aspectRatio: picture ? undefined : `${16} / ${9}`,
        background: '#000',
        lineHeight: 0,
      }}
      data-testid="space-heat"
    >
      {picture && (
        <img src={picture} alt="" style={{ width: '100%', display: 'block' }} data-testid="space-heat-picture" />
      )}
      <canvas
        ref={canvas}
        style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', imageRendering: 'auto' }}
        data-testid="space-heat-canvas"
        data-width={heat.width}
        data-height={heat.height}
      />
    </div>
  );
}

/** The §20.3 scale: one swatch per coloured bucket with its value range; 0–11 is left clear. */
export function SpaceHeatLegend(props: { title: string; clear: string }) {
  const rows = heatLegend();
  return (
    <div style={{ fontSize: 11 }} data-testid="space-heat-legend">
      <div style={{ marginBottom: 4 }}>{props.title}</div>
      <div style={{ display: 'flex', gap: 2, alignItems: 'center' }}>
        <span
          title={`0–11: ${props.clear}`}
          style={{ padding: '0 4px', border: '1px dashed #888' }}
          data-testid="space-legend-clear"
        >
          0–11
        </span>
        {rows.map((r) => (
          <span
            key={r.from}
            title={`${r.from}–${r.to}`}
            data-testid="space-legend-swatch"
            data-range={`${r.from}-${r.to}`}
            data-rgb={r.rgb.join(',')}
            style={{
              width: 16,
              height: 14,
              background: `rgb(${r.rgb.join(',')})`,
              display: 'inline-block',
            }}
          />
        ))}
      </div>
      <div style={{ display: 'flex', justifyContent: 'space-between', maxWidth: 18 * 21 + 48, opacity: 0.7 }}>
        <span>12</span>
        <span>255</span>
      </div>
    </div>
  );
}
