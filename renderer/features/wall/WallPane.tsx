import { App as AntApp, Dropdown, type MenuProps } from 'antd';
import { useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { SourceProvider } from '../../media/session/types';
import { VideoPane } from '../../media/view/VideoPane';
import { selectChannelAlarmed } from '../../stores/alarms/selectors';
import { useAlarmsStore } from '../../stores/alarms/store';
import { selectAccountById, selectAccountCan } from '../../stores/accounts/selectors';
import { useAccountsStore } from '../../stores/accounts/store';
import { usePlaybackStore } from '../../stores/playback/store';
import { usePtzControlStore } from '../../stores/ptz/control';
import { usePtzEditorStore } from '../../stores/ptz/store';
import { paneTranscoding } from '../../stores/transcode/store';
import { selectLiveActions } from '../../stores/live/selectors';
import { useLiveStore } from '../../stores/live/store';
import { useShallow } from 'zustand/react/shallow';
import {
  selectFavourites,
  selectHasPtz,
  selectLayoutActions,
  selectPaneState,
  selectTour,
  selectTourActions,
} from '../../stores/wall/selectors';
import { useWallStore, type PaneContent } from '../../stores/wall/store';
import { canSteer } from '../../model/capabilities';
import { streamForWidth } from '../../model/layouts';
import { buildTree, keyOf, tourGroup } from '../../model/tree';
import { PAD_IN_PANE_MIN_WIDTH, PTZ_DOCK_ID, PtzPad } from './PtzPad';
import { SnapshotError, saveSnapshot } from '../../media/view/snapshot';
import { useMediaWindow } from '../../media/media-window';
import { PaneActionsContext, type PaneActions } from './pane-actions';

/**
 * One wall pane: asks main for a fresh play source on every (re)connect; sub stream when small,
 * main when large or maximized; drop target for tree nodes and other panes.
 */
export function WallPane({
  index,
  content,
  style,
}: {
  index: number;
  content: PaneContent | null;
  style: React.CSSProperties;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const media = useMediaWindow();
  const replayOnPage = usePlaybackStore((s) => s.replayOnPage);
  const { channelSource, relayRate, takeCameraShot } = useLiveStore(useShallow(selectLiveActions));
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [audio, setAudio] = useState(false);
  // Pinned: decodes every frame whatever the decode budget says (media/decode-budget.ts).
  const [pinned, setPinned] = useState(false);
  // An unacknowledged alarm on this pane's channel (main names the channel as the tree does).
  const alarm = useAlarmsStore(useMemo(() => selectChannelAlarmed(content?.accountId, content?.channelId), [content]));
  // Only this pane's part of the wall: another pane's selection, stream or tour does not re-render it.
  const { isSelected, isMax, streamOverride, showStats } = useWallStore(useShallow(selectPaneState(index)));
  const { select, toggleMaximize, assign, fill, swap, setStream } = useWallStore(useShallow(selectLayoutActions));
  const { startTour, stopTour } = useWallStore(useShallow(selectTourActions));
  const favourites = useWallStore(selectFavourites);
  const tour = useWallStore(selectTour(index));
  const [menuOpen, setMenuOpen] = useState(false);
  /** Snapshots under way (each keeps the pane at full rate until taken). */
  const [shooting, setShooting] = useState(0);
  const ptz = canSteer(
    useAccountsStore(selectAccountById(content?.accountId)),
    useWallStore(selectHasPtz(content?.accountId, content?.channelId)),
  );
  const cameraCanShoot = useAccountsStore(selectAccountCan(content?.accountId ?? '', 'snapshot'));
  const stream = streamOverride ?? streamForWidth(width, isMax);
  // Digital zoom: wheel zooms about the pointer (1×–8×), drag pans while zoomed.
  const [zoom, setZoom] = useState({ s: 1, x: 0, y: 0 });
  const pan = useRef<{ x: number; y: number; zx: number; zy: number } | null>(null);
  useEffect(() => setZoom({ s: 1, x: 0, y: 0 }), [content]);
  useEffect(() => setAudio(false), [content]); // another camera starts muted
  const clampZoom = (s: number, x: number, y: number) => {
    const r = ref.current!.getBoundingClientRect();
    return { s, x: Math.min(0, Math.max(r.width * (1 - s), x)), y: Math.min(0, Math.max(r.height * (1 - s), y)) };
  };

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => setWidth(Math.round(entry!.contentRect.width / 80) * 80)); // 80-px steps: no flapping
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const provider = useMemo<SourceProvider | null>(
    () => (content ? () => channelSource(content, stream) : null),
    [content, stream, channelSource],
  );

  /** The frame on show as a PNG (the menu's Snapshot and a gamepad button); false: no picture here. */
  const takeSnapshot = () => {
    const video = ref.current?.querySelector('video');
    if (!content || !video) return false;
    // At full rate until taken: a key-frame pane's snapshot waits for its video to catch up (snapshot.ts).
    setShooting((n) => n + 1);
    saveSnapshot(video, content.name, undefined, media.pictures)
      .then(
        (name) => void message.success(name),
        (e: Error) => void message.warning(e instanceof SnapshotError ? t(e.key) : e.message),
      )
      .finally(() => setShooting((n) => n - 1));
    return true;
  };
  // The gamepad asks the selected pane for what its menu does; registered once, reading this render's state.
  const paneActions = useContext(PaneActionsContext);
  const latestActions = useRef<PaneActions>({ snapshot: () => false, togglePin: () => null });
  latestActions.current = {
    snapshot: takeSnapshot,
    togglePin: () => {
      if (!content) return null;
      setPinned(!pinned);
      return !pinned;
    },
  };
  useEffect(
    () =>
      paneActions?.register(index, {
        snapshot: () => latestActions.current.snapshot(),
        togglePin: () => latestActions.current.togglePin(),
      }),
    [paneActions, index],
  );

  // What this pane could tour through, worked out only when its menu opens (the tree may be 10 000 nodes).
  const tourItems = useMemo<MenuProps['items']>(() => {
    if (!menuOpen) return [];
    const dwell = (key: string, items: PaneContent[]) => {
      // Start from the channel on show, so the tour begins without a jump.
      const at = content
        ? Math.max(
            0,
            items.findIndex((c) => c.accountId === content.accountId && c.channelId === content.channelId),
          )
        : 0;
      const ordered = [...items.slice(at), ...items.slice(0, at)];
      return [5, 10, 30, 60].map((sec) => ({
        key: `${key}:${sec}`,
        label: `${sec} s`,
        onClick: () => startTour(index, ordered, sec),
      }));
    };
    const nodes = content ? (useWallStore.getState().trees[content.accountId]?.nodes ?? []) : [];
    const group = content
      ? tourGroup(buildTree(nodes), keyOf({ accountId: content.accountId, id: content.channelId }))
      : null;
    const choices = [
      ...(group
        ? [
            {
              key: 'tour-group',
              label: t('wall.paneTourOf', { name: group.name, count: group.channels.length }),
              children: dwell(
                'tour-group',
                group.channels.map((n) => ({ accountId: n.accountId, channelId: n.id, name: n.name })),
              ),
            },
          ]
        : []),
      ...(favourites.length >= 2
        ? [
            {
              key: 'tour-favourites',
              label: t('wall.paneTourFavourites', { count: favourites.length }),
              children: dwell('tour-favourites', favourites),
            },
          ]
        : []),
    ];
    return [
      choices.length
        ? { key: 'tour', label: t('wall.paneTour'), children: choices }
        : { key: 'tour', label: t('wall.paneTourNothing'), disabled: true },
      ...(tour ? [{ key: 'tour-stop', label: t('wall.paneTourStop'), onClick: () => stopTour(index) }] : []),
    ];
  }, [menuOpen, content, favourites, tour, index, startTour, stopTour, t]);

  const menu: MenuProps['items'] = content
    ? [
        { key: 'main', label: t('wall.streamMain'), onClick: () => setStream(index, 'main') },
        { key: 'sub', label: t('wall.streamSub'), onClick: () => setStream(index, 'sub') },
        { key: 'auto', label: t('wall.streamAuto'), onClick: () => setStream(index, null) },
        {
          key: 'pin',
          label: pinned ? t('wall.unpinFullRate') : t('wall.pinFullRate'),
          onClick: () => setPinned(!pinned),
        },
        { type: 'divider' },
        {
          key: 'audio',
          label: audio ? t('wall.audioOff') : t('wall.audioOn'),
          // Audio is muted by default; one pane at a time is what an operator listens to.
          onClick: () => setAudio(!audio),
        },
        { key: 'snapshot', label: t('wall.snapshot'), onClick: () => void takeSnapshot() },
        // Only where the platform can take one (the frame snapshot above always can).
        {
          key: 'cameraSnapshot',
          label: cameraCanShoot ? t('wall.cameraSnapshot') : t('wall.cameraSnapshotNone'),
          disabled: !cameraCanShoot,
          onClick: () => void takeCameraShot(content),
        },
        ...(ptz
          ? [
              {
                key: 'ptzEditor',
                label: t('ptzEditor.open'),
                onClick: () => usePtzEditorStore.getState().open(content),
              },
            ]
          : []),
        {
          key: 'replay',
          label: t('wall.instantReplay'),
          onClick: () => {
            // Instant replay: the same channel from 30 s ago on the playback page.
            replayOnPage(content, Date.now() - 30_000);
          },
        },
        { key: 'max', label: isMax ? t('wall.restore') : t('wall.maximize'), onClick: () => toggleMaximize(index) },
        ...(zoom.s > 1
          ? [{ key: 'unzoom', label: t('wall.resetZoom'), onClick: () => setZoom({ s: 1, x: 0, y: 0 }) }]
          : []),
        { type: 'divider' },
        ...(tourItems ?? []),
        { key: 'close', label: t('wall.closePane'), danger: true, onClick: () => assign(index, null) },
      ]
    : (tourItems ?? []);

  return (
    <Dropdown
      menu={{ items: menu }}
      trigger={['contextMenu']}
      disabled={!content && favourites.length < 2}
      onOpenChange={setMenuOpen}
    >
      <div
        ref={ref}
        data-testid={`wall-pane-${index}`}
        data-stream={stream}
        data-channel={content?.channelId ?? ''}
        data-pinned={pinned ? '' : undefined}
        data-zoom={zoom.s.toFixed(2)}
        data-zoomed={zoom.s > 1 ? '' : undefined}
        className="vigil-pane"
        // The zoom reaches the <video> through CSS variables (index.html), so a player that
        // re-creates its element on reconnect keeps it.
        style={{
          ...style,
          outline: isSelected ? '2px solid #1677ff' : content ? '1px solid #222' : '1px dashed #434343',
          outlineOffset: -2,
          background: content ? undefined : '#0d0d0d',
          position: 'relative',
          minWidth: 0,
          minHeight: 0,
          overflow: 'hidden',
          cursor: zoom.s > 1 ? 'grab' : undefined,
          ...({ '--zx': `${zoom.x}px`, '--zy': `${zoom.y}px`, '--zs': String(zoom.s) } as React.CSSProperties),
        }}
        onClick={() => select(index)}
        onDoubleClick={() => content && toggleMaximize(index)}
        onWheel={(e) => {
          if (!content || !ref.current) return;
          const r = ref.current.getBoundingClientRect();
          const px = e.clientX - r.left;
          const py = e.clientY - r.top;
          const factor = e.deltaY < 0 ? 1.25 : 0.8;
          // From the latest zoom, not this render's: a fast wheel sends several events per frame.
          setZoom((z) => {
            const s = Math.min(8, Math.max(1, z.s * factor));
            return s === 1
              ? { s: 1, x: 0, y: 0 }
              : clampZoom(s, px - ((px - z.x) * s) / z.s, py - ((py - z.y) * s) / z.s);
          });
        }}
        onMouseDown={(e) => {
          if (zoom.s > 1 && e.button === 0) pan.current = { x: e.clientX, y: e.clientY, zx: zoom.x, zy: zoom.y };
        }}
        onMouseMove={(e) => {
          const p = pan.current;
          if (p) setZoom(clampZoom(zoom.s, p.zx + e.clientX - p.x, p.zy + e.clientY - p.y));
        }}
        onMouseUp={() => (pan.current = null)}
        onMouseLeave={() => (pan.current = null)}
        draggable={!!content && zoom.s === 1}
        onDragStart={(e) => e.dataTransfer.setData('application/x-vigil-pane', String(index))}
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          const pane = e.dataTransfer.getData('application/x-vigil-pane');
          if (pane !== '') return swap(Number(pane), index);
          const raw = e.dataTransfer.getData('application/x-vigil-channels');
          if (!raw) return;
          const items = JSON.parse(raw) as PaneContent[];
          select(index);
          if (items.length === 1) assign(index, items[0]!);
          else fill(items);
        }}
      >
        {!content && (
          // An empty pane is a visible drop target: a faint frame and what to do with it.
          <div
            data-testid={`pane-hint-${index}`}
            style={{
              position: 'absolute',
              inset: 0,
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              textAlign: 'center',
              padding: 8,
              color: '#595959',
              fontSize: 12,
              pointerEvents: 'none',
              zIndex: 1,
            }}
          >
            {t('wall.emptyPane')}
          </div>
        )}
        <VideoPane
          // Not keyed by stream: sub ↔ main is a new source in the same pane, which keeps its picture until the new one shows.
          key={`${content?.accountId}|${content?.channelId}`}
          provider={provider}
          {...(content ? { from: content.accountId } : {})}
          title={content?.name}
          showStats={showStats}
          transcode={paneTranscoding}
          audio={audio}
          decode={{
            order: index,
            needs: {
              pinned,
              selected: isSelected,
              // its menu open or a snapshot under way: the operator is at this pane as with the pointer on it
              hovered: menuOpen || shooting > 0,
              maximized: isMax,
              large: stream === 'main',
              alarm,
              zoomed: zoom.s > 1,
            },
          }}
          relayRate={relayRate}
          testId={`pane-${index}`}
        />
        {zoom.s > 1 && (
          <span
            style={{
              position: 'absolute',
              left: 6,
              bottom: 22,
              background: 'rgba(0,0,0,0.55)',
              color: '#fff',
              fontSize: 11,
              padding: '1px 5px',
              borderRadius: 3,
              pointerEvents: 'none',
            }}
            data-testid={`zoom-${index}`}
          >
            {zoom.s.toFixed(1)}×
          </span>
        )}
        {tour && (
          <span
            style={{
              position: 'absolute',
              right: 6,
              top: 4,
              background: 'rgba(0,0,0,0.55)',
              color: '#fff',
              fontSize: 11,
              padding: '1px 5px',
              borderRadius: 3,
              pointerEvents: 'none',
            }}
            data-testid={`tour-${index}`}
          >
            ⟳ {tour.at + 1}/{tour.items.length} · {tour.seconds} s
          </span>
        )}
        {content && ptz && isSelected && <PanePtz content={content} paneWidth={width} />}
      </div>
    </Dropdown>
  );
}

const onFullscreenChange = (changed: () => void) => {
  document.addEventListener('fullscreenchange', changed);
  return () => document.removeEventListener('fullscreenchange', changed);
};
const isFullscreen = () => document.fullscreenElement !== null;

/**
 * Moves `node` under `parent` keeping its state: `moveBefore` (Chromium 133+) keeps focus and
 * fires no blur, so a half-typed preset name stays (removal blurs it, and the field closes on
 * blur). Where it is missing or refuses (the node not yet in the document), a plain append.
 */
function moveInto(parent: Element, node: Element): void {
  const move = (parent as Element & { moveBefore?: (node: Node, child: Node | null) => void }).moveBefore;
  if (move && node.isConnected) {
    try {
      return move.call(parent, node, null);
    } catch {
      /* not movable this way: appended below */
    }
  }
  parent.appendChild(node);
}

/**
 * The selected PTZ pane's pad: over a wide pane's picture, docked beside the wall for a narrow one.
 * The pad renders into one host element that moves between the pane and the dock, so moving it
 * (a resize across the width, maximize, F11) does not remount it: the platform's control lock and
 * a half-typed preset name stay.
 */
function PanePtz({ content, paneWidth }: { content: PaneContent; paneWidth: number }) {
  const { message } = AntApp.useApp();
  // A fullscreen wall hides the dock: there the pad stays on its pane, whatever its size.
  const fullscreen = useSyncExternalStore(onFullscreenChange, isFullscreen);
  const docked = paneWidth < PAD_IN_PANE_MIN_WIDTH && !fullscreen;
  const anchor = useRef<HTMLDivElement>(null);
  const host = useMemo(() => {
    const el = document.createElement('div');
    el.style.display = 'contents'; // in the pane, the pad places itself against the pane
    return el;
  }, []);
  useLayoutEffect(() => {
    const parent = docked ? document.getElementById(PTZ_DOCK_ID) : anchor.current;
    if (parent) moveInto(parent, host);
  }, [docked, host]);
  useLayoutEffect(() => () => host.remove(), [host]);
  // Leaving the pad (other pane selected, pane closed, channel replaced) gives the control lock back.
  const { accountId, channelId } = content;
  useEffect(
    () => () => {
      void usePtzControlStore.getState().release({ accountId, channelId });
    },
    [accountId, channelId],
  );
  return (
    <>
      <div ref={anchor} style={{ display: 'contents' }} />
      {/* Not measured yet: no pad mounted in the wrong place first. */}
      {paneWidth > 0 &&
        createPortal(
          <PtzPad
            accountId={accountId}
            channelId={channelId}
            name={content.name}
            docked={docked}
            onError={(m) => void message.error(m)}
          />,
          host,
        )}
    </>
  );
}
