import {
  AppstoreOutlined,
  BarChartOutlined,
  ExportOutlined,
  FullscreenOutlined,
  PauseCircleOutlined,
  QuestionCircleOutlined,
  SaveOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import { App as AntApp, Button, Dropdown, Input, Modal, Select, Space, Tooltip } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PtzCommand } from '../../../preload/contract';
import type { VigilError } from '../../stores/errors';
import { usePtzControlStore } from '../../stores/ptz/control';
import { useShallow } from 'zustand/react/shallow';
import {
  selectLayout,
  selectLayoutActions,
  selectMaximized,
  selectPanes,
  selectSelected,
  selectTouring,
  selectViewActions,
  selectViews,
} from '../../stores/wall/selectors';
import { useWallStore } from '../../stores/wall/store';
import { usePtzEditorStore } from '../../stores/ptz/store';
import { CameraSnapshot } from './CameraSnapshot';
import { DeviceTree } from './DeviceTree';
import { PTZ_DOCK_ID } from './PtzPad';
import { layoutByDigit, layoutFor, layoutIds } from '../../model/layouts';
import { menuPages } from '../../model/pages';
import { useAppStore } from '../../stores/app/store';
import { selectDeveloper } from '../../stores/app/selectors';
import { WallPane } from './WallPane';
import { useGamepadPtz } from './useGamepadPtz';
import { steerable } from './steerable';
import { PaneActionsContext, PaneActionsRegistry } from './pane-actions';
import { themed } from '../common/theme-vars';

// The PTZ editor (presets and cruise tracks: forms, tables, tabs) is its own chunk, fetched when
// first opened: the wall at launch does not wait for it.
const PtzEditor = lazy(() => import('../ptz-editor/PtzEditor').then((m) => ({ default: m.PtzEditor })));

const arrows: Record<string, PtzCommand> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
  '+': 'zoomin',
  '=': 'zoomin',
  '-': 'zoomout',
};

/** The operator's screen: device tree on the left, the wall on the right. */
export function WallPage() {
  const { t } = useTranslation();
  const developer = useAppStore(selectDeveloper);
  const openWindow = useAppStore((s) => s.openWindow);
  const { message } = AntApp.useApp();
  const layout = useWallStore(selectLayout);
  const panes = useWallStore(selectPanes);
  const maximized = useWallStore(selectMaximized);
  const selected = useWallStore(selectSelected);
  const { views, activeViewId, startupViewId } = useWallStore(useShallow(selectViews));
  const {
    setLayout: applyLayout,
    undoLayout,
    toggleMaximize,
    toggleStats,
  } = useWallStore(useShallow(selectLayoutActions));
  const { openView, saveView, deleteView, setStartup, openStartupView } = useWallStore(useShallow(selectViewActions));
  // A smaller layout hides the panes past it (kept: a larger layout brings them back) and offers Undo.
  const setLayout = useCallback(
    (id: string) => {
      const hidden = applyLayout(id);
      if (!hidden) return;
      void message.open({
        key: 'layout-undo',
        type: 'info',
        duration: 8,
        content: (
          <span data-testid="layout-hidden">
            {t('wall.panesHidden', { count: hidden, layout: id })}{' '}
            <Button
              size="small"
              type="link"
              data-testid="layout-undo"
              onClick={() => {
                undoLayout();
                message.destroy('layout-undo');
              }}
            >
              {t('wall.undo')}
            </Button>
          </span>
        ),
      });
    },
    [applyLayout, undoLayout, message, t],
  );
  // The panes' own actions (snapshot, pin), reached by the gamepad for the selected pane.
  const paneActions = useMemo(() => new PaneActionsRegistry(), []);
  useGamepadPtz(setLayout, paneActions);
  /** A request the wall's own menus made failed: said where the operator is looking. */
  const warnOf = (e: VigilError | null) => {
    if (e) void message.warning(e.message);
  };
  const [saving, setSaving] = useState(false);
  const [viewName, setViewName] = useState('');
  const wallRef = useRef<HTMLDivElement>(null);
  const [tourSeconds, setTourSeconds] = useState<number | null>(null);
  const [help, setHelp] = useState(false);
  const editorOpen = usePtzEditorStore((s) => s.target !== null);

  // Tour: cycle through the saved views with a dwell time.
  useEffect(() => {
    if (tourSeconds === null) return;
    const timer = setInterval(() => {
      const s = useWallStore.getState();
      if (s.views.length === 0) return;
      const i = s.views.findIndex((v) => v.id === s.activeViewId);
      openView(s.views[(i + 1) % s.views.length]!);
    }, tourSeconds * 1000);
    return () => clearInterval(timer);
  }, [tourSeconds, openView]);

  // Pane tours: while any pane tours, a quarter-second tick moves those whose dwell is over.
  const touring = useWallStore(selectTouring);
  useEffect(() => {
    if (!touring) return;
    const timer = setInterval(() => useWallStore.getState().advanceTours(Date.now()), 250);
    return () => clearInterval(timer);
  }, [touring]);

  // The start-up view opens once per window (asked at launch, before the wall is on screen: stores/startup.ts).
  useEffect(() => {
    void openStartupView();
  }, [openStartupView]);

  // Keyboard: digits pick layouts, F11 fullscreen, Esc restores, arrows and +/− drive PTZ.
  // A PTZ key steers like holding a pad button: the move starts on the press, is said again every
  // 400 ms while the key is held (as the pad does), and stops on release — a continuous move (IVM's
  // NON_POINT) would otherwise go on turning. Only with the focus on the wall or nowhere: arrows in the
  // tree, a menu, a select or the editor's tabs move their own selection, not the camera.
  const heldKey = useRef<{ code: string; pane: { accountId: string; channelId: string }; timer: number } | null>(null);
  useEffect(() => {
    const { move } = usePtzControlStore.getState();
    const steer = (pane: { accountId: string; channelId: string }, command: PtzCommand) =>
      void move(pane, command, useWallStore.getState().ptzSpeed).then((err) => {
        if (err) void message.warning(err.message);
      });
    const release = () => {
      const held = heldKey.current;
      if (!held) return;
      heldKey.current = null;
      window.clearInterval(held.timer);
      steer(held.pane, 'stop');
    };
    const onWall = (target: EventTarget | null) =>
      target === null || target === document.body || (target instanceof Node && !!wallRef.current?.contains(target));
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement | null)?.closest('input, textarea, [contenteditable]')) return;
      if (e.key === '?') setHelp(true);
      else if (!e.altKey && !e.ctrlKey && layoutByDigit[e.key]) setLayout(layoutByDigit[e.key]!);
      else if (e.key === 'F11') {
        e.preventDefault();
        void (document.fullscreenElement ? document.exitFullscreen() : wallRef.current?.requestFullscreen());
      } else if (e.key === 'Escape' && maximized !== null) toggleMaximize(maximized);
      else if (arrows[e.key] && onWall(e.target)) {
        const pane = useWallStore.getState().panes[useWallStore.getState().selected];
        if (!pane || !steerable(pane)) return;
        e.preventDefault();
        if (e.repeat && heldKey.current?.code === e.code) return; // the timer repeats it
        release();
        const command = arrows[e.key]!;
        // The control room hears this seat steers, as from the pad (whose closing says it stopped).
        const send = () => steer(pane, command);
        send();
        // Matched on release by the physical key: "+" is Shift+=, and Shift let go first makes its keyup "=".
        heldKey.current = { code: e.code, pane, timer: window.setInterval(send, 400) };
      }
    };
    const onKeyUp = (e: KeyboardEvent) => {
      if (heldKey.current?.code === e.code) release();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', release); // a key let go in another window sends no keyup here
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', release);
      release();
    };
  }, [setLayout, maximized, toggleMaximize, message]);

  const grid = layoutFor(layout);
  return (
    <div style={{ display: 'flex', height: '100%' }} data-testid="wall-page">
      <div
        style={{
          width: 280,
          borderRight: `1px solid ${themed.border}`,
          flexShrink: 0,
          display: 'flex',
          flexDirection: 'column',
        }}
      >
        {/* The tree takes what the dock leaves. */}
        <DeviceTree />
        {/* A narrow pane's PTZ pad, rendered here by the pane (see WallPane's PanePtz). */}
        <div id={PTZ_DOCK_ID} data-testid="ptz-dock" />
      </div>
      <div style={{ flex: 1, display: 'flex', flexDirection: 'column', minWidth: 0 }}>
        <Space style={{ padding: 6 }} wrap>
          <AppstoreOutlined />
          <Select
            value={layout}
            onChange={setLayout}
            style={{ width: 90 }}
            aria-label={t('wall.layout')}
            data-testid="wall-layout"
            options={layoutIds.map((id) => ({ value: id, label: id }))}
          />
          <Dropdown
            menu={{
              items: views.length
                ? views.map((v) => ({
                    key: v.id,
                    label: (
                      <Space>
                        <span data-testid={`view-${v.name}`}>{v.name}</span>
                        {startupViewId === v.id ? `(${t('wall.startup')})` : ''}
                      </Space>
                    ),
                    children: [
                      { key: `${v.id}:open`, label: t('wall.openView'), onClick: () => openView(v) },
                      {
                        key: `${v.id}:startup`,
                        label: startupViewId === v.id ? t('wall.clearStartup') : t('wall.setStartup'),
                        onClick: () => void setStartup(startupViewId === v.id ? null : v.id).then(warnOf),
                      },
                      {
                        key: `${v.id}:delete`,
                        danger: true,
                        label: t('common.remove'),
                        onClick: () => void deleteView(v.id).then(warnOf),
                      },
                    ],
                  }))
                : [{ key: 'none', label: t('wall.noViews'), disabled: true }],
            }}
          >
            <Button data-testid="wall-views">{t('wall.views')}</Button>
          </Dropdown>
          <Button
            icon={<SaveOutlined />}
            data-testid="wall-save-view"
            onClick={() => {
              setViewName(views.find((v) => v.id === activeViewId)?.name ?? '');
              setSaving(true);
            }}
          >
            {t('wall.saveView')}
          </Button>
          {tourSeconds === null ? (
            <Dropdown
              menu={{
                items: [10, 30, 60].map((sec) => ({
                  key: String(sec),
                  label: `${sec} s`,
                  onClick: () => setTourSeconds(sec),
                })),
              }}
            >
              <Button icon={<SyncOutlined />} disabled={views.length < 2}>
                {t('wall.tour')}
              </Button>
            </Dropdown>
          ) : (
            <Button icon={<PauseCircleOutlined />} onClick={() => setTourSeconds(null)}>
              {t('wall.tourStop')}
            </Button>
          )}
          <Tooltip title={t('wall.stats')}>
            <Button icon={<BarChartOutlined />} onClick={toggleStats} />
          </Tooltip>
          <Tooltip title={t('wall.newWindow')}>
            <Button
              icon={<ExportOutlined />}
              data-testid="wall-new-window"
              onClick={() =>
                void openWindow().then((e) => {
                  if (e) void message.warning(e.message);
                })
              }
            />
          </Tooltip>
          <Tooltip title="F11">
            <Button icon={<FullscreenOutlined />} onClick={() => void wallRef.current?.requestFullscreen()} />
          </Tooltip>
          <Tooltip title={`${t('wall.shortcuts')} (?)`}>
            <Button icon={<QuestionCircleOutlined />} onClick={() => setHelp(true)} />
          </Tooltip>
        </Space>
        <div
          ref={wallRef}
          data-testid="wall-grid"
          style={{
            flex: 1,
            display: 'grid',
            gap: 2,
            background: '#000',
            minHeight: 0,
            gridTemplateColumns: maximized !== null ? '1fr' : `repeat(${grid.cols}, 1fr)`,
            gridTemplateRows: maximized !== null ? '1fr' : `repeat(${grid.rows}, 1fr)`,
          }}
        >
          <PaneActionsContext.Provider value={paneActions}>
            {grid.cells.map((cell, i) =>
              maximized !== null && maximized !== i ? null : (
                <WallPane
                  key={i}
                  index={i}
                  content={panes[i] ?? null}
                  style={
                    maximized === i
                      ? {}
                      : {
                          gridColumn: `${cell.col + 1} / span ${cell.colSpan}`,
                          gridRow: `${cell.row + 1} / span ${cell.rowSpan}`,
                        }
                  }
                />
              ),
            )}
          </PaneActionsContext.Provider>
        </div>
      </div>
      {editorOpen && (
        <Suspense fallback={null}>
          <PtzEditor />
        </Suspense>
      )}
      <CameraSnapshot />
      <Modal
        open={saving}
        title={t('wall.saveView')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        // A view needs a name; a failed save says why and keeps the dialog (and the name) open.
        okButtonProps={{ 'data-testid': 'view-save-ok', disabled: !viewName.trim() } as never}
        onCancel={() => setSaving(false)}
        onOk={async () => {
          const existing = views.find((v) => v.name === viewName.trim());
          const failed = await saveView(viewName.trim(), existing?.id);
          if (failed) return void message.error(failed.message);
          setSaving(false);
          void message.success(t('wall.viewSaved'));
        }}
      >
        <Input
          data-testid="view-name"
          value={viewName}
          maxLength={64}
          onChange={(e) => setViewName(e.target.value)}
          placeholder={t('wall.viewName')}
        />
      </Modal>
      <Modal open={help} title={t('wall.shortcuts')} footer={null} onCancel={() => setHelp(false)}>
        <table data-testid="shortcuts" style={{ width: '100%' }}>
          <tbody>
            {[
              ['1 – 9', `${t('wall.layout')}: 1, 4, 1+5, 1+7, 9, 10, 1+12, 16, 25`],
              ['F11', t('wall.helpFullscreen')],
              ['Esc', t('wall.restore')],
              ['← ↑ → ↓', t('wall.helpPtz')],
              ['+ / −', t('wall.helpPtzZoom')],
              [
                'Alt+1 … Alt+9',
                `${t('wall.helpPages')}: ${menuPages(developer)
                  .slice(0, 9)
                  .map((p) => t(`nav.${p}`))
                  .join(' / ')}`,
              ],
              ['Space, ← →, Shift+← →', `${t('nav.playback')}: ▶/❚❚, ±10 s, ±1 min`],
              ['B', `${t('nav.playback')}: ${t('bookmarks.addTip')}`],
              ['?', t('wall.shortcuts')],
            ].map(([k, v]) => (
              <tr key={k}>
                <td style={{ padding: '4px 12px 4px 0', whiteSpace: 'nowrap' }}>
                  <kbd>{k}</kbd>
                </td>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Modal>
      <span hidden data-testid="wall-selected">
        {selected}
      </span>
    </div>
  );
}
