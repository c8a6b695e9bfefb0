import { CheckOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Empty, Spin } from 'antd';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { MapNode, MapPin, TreeNode } from '../../../preload/contract';
import { bearing, pinKey, wedgePath } from '../../model/map-pins';
import { useMapsStore } from '../../stores/maps/store';
import type { PaneContent } from '../../stores/wall/store';

/** One status colour language everywhere: online green, offline grey, unknown blue, alarm red. */
const STATUS_COLOUR: Record<string, string> = { online: '#52c41a', offline: '#8c8c8c' };
const colourOf = (status: TreeNode['status'] | undefined) => STATUS_COLOUR[status ?? ''] ?? '#1677ff';
const ALARM = '#ff4d4f';

// The flash of an alarmed pin: a keyframe rule, once for the page (inline styles cannot animate).
const FLASH_CSS = `@keyframes vigil-pin-flash { 0%, 100% { box-shadow: 0 0 0 0 ${ALARM}; background: ${ALARM}; } 50% { box-shadow: 0 0 0 8px transparent; background: #fff1f0; } }`;

function useBoxSize(ref: React.RefObject<HTMLElement | null>) {
  const [size, setSize] = useState({ w: 0, h: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () => setSize({ w: el.clientWidth, h: el.clientHeight });
    read();
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

/**
 * A floor plan with its camera pins: the picture fitted to the space, the field-of-view wedges
 * drawn over it, and each pin an element of its own (clickable, draggable to the wall, movable in
 * setup mode). Positions are shares of the picture, so any size shows the same place.
 */
export function PlanView({
  node,
  pins,
  status,
  alarmed,
  onError,
}: {
  node: MapNode;
  pins: MapPin[];
  status: ReadonlyMap<string, TreeNode['status']>;
  alarmed: ReadonlySet<string>;
  onError: (e: unknown) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const box = useRef<HTMLDivElement>(null);
  const size = useBoxSize(box);
  const { images, imageErrors, picked, editing, popOut } = useMapsStore(
    useShallow((s) => ({
      images: s.images,
      imageErrors: s.imageErrors,
      picked: s.picked,
      editing: s.editing,
      popOut: s.popOut,
    })),
  );
  const { loadImage, placeCameras, updatePin, pick, play, acknowledge } = useMapsStore(
    useShallow((s) => ({
      loadImage: s.loadImage,
      placeCameras: s.placeCameras,
      updatePin: s.updatePin,
      pick: s.pick,
      play: s.play,
      acknowledge: s.acknowledge,
    })),
  );
  // The picture's own size, for the picture it was read from (a new document is not a new picture).
  const [natural, setNatural] = useState<{ image: string; w: number; h: number } | null>(null);
  /** A pin being moved in setup mode: where it is until it is let go. */
  // With Alt held the pin turns instead: its direction follows the pointer.
  const [moving, setMoving] = useState<{ id: string; x: number; y: number; direction: number; turn: boolean } | null>(
    null,
  );

  useEffect(() => {
    void loadImage(node);
  }, [node, loadImage]);

  const src = node.image ? images[node.image.id] : undefined;
  const failed = node.image ? imageErrors[node.image.id] : undefined;
  // The picture fitted into the box (an SVG without a size counts as square).
  const fit = useMemo(() => {
    if (!natural || natural.image !== node.image?.id || !size.w || !size.h) return null;
    const s = Math.min((size.w - 16) / natural.w, (size.h - 16) / natural.h);
    return { w: Math.max(1, Math.floor(natural.w * s)), h: Math.max(1, Math.floor(natural.h * s)) };
  }, [natural, size, node.image?.id]);

  const shown = pins.map((p) =>
    moving?.id === p.id ? { ...p, x: moving.x, y: moving.y, direction: moving.direction } : p,
  );
  /** Where a pointer at `e` takes pin `p` (moved, or turned toward it). */
  const drag = (p: MapPin, e: { clientX: number; clientY: number }, plan: Element, turn: boolean) => {
    const to = at(e, plan);
    if (!turn || !fit) return { id: p.id, ...to, direction: p.direction, turn };
    return { id: p.id, x: p.x, y: p.y, direction: bearing(p.x * fit.w, p.y * fit.h, to.x * fit.w, to.y * fit.h), turn };
  };
  const at = (e: { clientX: number; clientY: number }, el: Element) => {
    const r = el.getBoundingClientRect();
    return {
      x: Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)),
      y: Math.min(1, Math.max(0, (e.clientY - r.top) / r.height)),
    };
  };

  return (
    <div
      ref={box}
      style={{ flex: 1, minHeight: 0, minWidth: 0, display: 'flex', alignItems: 'center', justifyContent: 'center' }}
      data-testid="map-plan-box"
    >
      <style>{FLASH_CSS}</style>
      {/* The box is there with or without a plan: its size is measured from the first render. */}
      {!node.image ? (
        <Empty style={{ margin: 48 }} description={t('maps.noPlan')} />
      ) : failed ? (
        <Empty description={failed} />
      ) : !src ? (
        <Spin />
      ) : (
        <div
          data-testid="map-plan"
          style={{ position: 'relative', width: fit?.w ?? 'auto', height: fit?.h ?? 'auto', background: '#fff' }}
          onDragOver={(e) => {
            if (e.dataTransfer.types.includes('application/x-vigil-channels')) e.preventDefault();
          }}
          onDrop={(e) => {
            e.preventDefault();
            const raw = e.dataTransfer.getData('application/x-vigil-channels');
            if (!raw || e.dataTransfer.getData('application/x-vigil-map-pins')) return;
            let items: PaneContent[];
            try {
              items = JSON.parse(raw) as PaneContent[];
            } catch {
              return;
            }
            const p = at(e, e.currentTarget);
            placeCameras(items, p.x, p.y).catch(onError);
          }}
        >
          <img
            key={node.image?.id}
            src={src}
            alt={node.name}
            draggable={false}
            style={{ display: 'block', width: '100%', height: '100%', userSelect: 'none' }}
            onLoad={(e) => {
              const img = e.currentTarget;
              if (node.image)
                setNatural({ image: node.image.id, w: img.naturalWidth || 1000, h: img.naturalHeight || 1000 });
            }}
          />
          {fit && (
            <svg
              width={fit.w}
              height={fit.h}
              style={{ position: 'absolute', inset: 0, pointerEvents: 'none' }}
              data-testid="map-wedges"
            >
              {shown.map((p) => {
                const c = alarmed.has(pinKey(p)) ? ALARM : colourOf(status.get(pinKey(p)));
                return (
                  <path
                    key={p.id}
                    d={wedgePath(p, fit.w, fit.h)}
                    fill={c}
                    fillOpacity={picked.includes(p.id) ? 0.35 : 0.18}
                    stroke={c}
                    strokeOpacity={0.6}
                  />
                );
              })}
            </svg>
          )}
          {fit &&
            shown.map((p) => {
              const key = pinKey(p);
              const alarm = alarmed.has(key);
              const state = status.get(key) ?? 'unknown';
              const isPicked = picked.includes(p.id);
              return (
                <div
                  key={p.id}
                  data-testid="map-pin"
                  data-pin-id={p.id}
                  data-channel-id={p.channelId}
                  data-status={state}
                  data-alarm={alarm ? '' : undefined}
                  data-picked={isPicked ? '' : undefined}
                  title={`${p.name} (${t(`maps.status.${state}`)})${editing ? ` — ${t('maps.turnHint')}` : ''}`}
                  role="button"
                  tabIndex={0}
                  draggable={!editing}
                  onDragStart={(e) => {
                    // Several picked pins go together; otherwise the one dragged.
                    const group = isPicked ? pins.filter((x) => picked.includes(x.id)) : [p];
                    const items: PaneContent[] = group.map((x) => ({
                      accountId: x.accountId,
                      channelId: x.channelId,
                      name: x.name,
                    }));
                    e.dataTransfer.setData('application/x-vigil-channels', JSON.stringify(items));
                    e.dataTransfer.setData('application/x-vigil-map-pins', '1');
                    e.dataTransfer.effectAllowed = 'copy';
                  }}
                  onClick={(e) => {
                    if (editing || e.ctrlKey || e.metaKey || e.shiftKey)
                      return pick(p.id, e.ctrlKey || e.metaKey || e.shiftKey);
                    play(p);
                    if (!popOut) void message.info(t('maps.playing', { name: p.name }), 1.5);
                  }}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      play(p);
                    }
                  }}
                  onPointerDown={(e) => {
                    if (!editing || e.button !== 0) return;
                    const plan = e.currentTarget.parentElement!;
                    e.currentTarget.setPointerCapture(e.pointerId);
                    setMoving(drag(p, e, plan, e.altKey));
                  }}
                  onPointerMove={(e) => {
                    if (moving?.id !== p.id) return;
                    setMoving(drag(p, e, e.currentTarget.parentElement!, moving.turn));
                  }}
                  onPointerUp={() => {
                    if (moving?.id !== p.id) return;
                    setMoving(null);
                    if (moving.x !== p.x || moving.y !== p.y || moving.direction !== p.direction)
                      updatePin({ ...p, x: moving.x, y: moving.y, direction: moving.direction }).catch(onError);
                  }}
                  style={{
                    position: 'absolute',
                    left: p.x * fit.w - 9,
                    top: p.y * fit.h - 9,
                    width: 18,
                    height: 18,
                    borderRadius: '50%',
                    background: alarm ? ALARM : colourOf(state),
                    border: `2px solid ${isPicked ? '#faad14' : '#fff'}`,
                    boxSizing: 'border-box',
                    cursor: editing ? 'move' : 'pointer',
                    animation: alarm ? 'vigil-pin-flash 0.8s ease-in-out infinite' : undefined,
                    touchAction: 'none',
                  }}
                >
                  <span
                    style={{
                      position: 'absolute',
                      left: 20,
                      top: -2,
                      whiteSpace: 'nowrap',
                      fontSize: 11,
                      padding: '0 3px',
                      borderRadius: 2,
                      color: '#fff',
                      background: 'rgba(0,0,0,0.6)',
                      pointerEvents: 'none',
                    }}
                  >
                    {p.name}
                  </span>
                  {alarm && !editing && (
                    <Button
                      size="small"
                      danger
                      type="primary"
                      icon={<CheckOutlined />}
                      data-testid="map-pin-ack"
                      title={t('maps.acknowledge')}
                      style={{ position: 'absolute', left: 20, top: 14, height: 18, fontSize: 11 }}
                      draggable={false}
                      onClick={(e) => {
                        e.stopPropagation();
                        acknowledge(p).catch(onError);
                      }}
                    >
                      {t('maps.acknowledge')}
                    </Button>
                  )}
                </div>
              );
            })}
        </div>
      )}
    </div>
  );
}
