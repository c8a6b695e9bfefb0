import {
  BankOutlined,
  BuildOutlined,
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  GlobalOutlined,
  PictureOutlined,
  PlusOutlined,
  SettingOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Badge,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Slider,
  Space,
  Switch,
  Tooltip,
  Tree,
  Typography,
} from 'antd';
import type { DataNode } from 'antd/es/tree';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { ErrorShape, MapKind, MapPrefs, TreeNode } from '../../../preload/contract';
import { layoutFor } from '../../model/layouts';
import { alarmedMaps, mapTree, type MapTreeItem } from '../../model/map-pins';
import { keyOf } from '../../model/tree';
import { useAlarmsStore } from '../../stores/alarms/store';
import { useMapsStore } from '../../stores/maps/store';
import { selectPanes, selectTrees } from '../../stores/wall/selectors';
import { useWallStore } from '../../stores/wall/store';
import { themed } from '../common/theme-vars';
import { DeviceTree } from '../wall/DeviceTree';
import { WallPane } from '../wall/WallPane';
import { PlanView } from './PlanView';
import { PopupPlayer } from './PopupPlayer';

// Leaflet and its style sheet load with the Geographic tab, not with the page.
const GeoView = lazy(() => import('./GeoView').then((m) => ({ default: m.GeoView })));

const KIND_ICON: Record<MapKind, React.ReactNode> = {
  site: <BankOutlined />,
  building: <BuildOutlined />,
  floor: <PictureOutlined />,
};
/** What a new child of each kind is. */
const CHILD: Record<MapKind, MapKind> = { site: 'building', building: 'floor', floor: 'floor' };

/** Channels (account|channel) with an alarm nobody acknowledged, as the wall's panes mark them. */
function useAlarmedChannels(): ReadonlySet<string> {
  const alarms = useAlarmsStore((s) => s.alarms);
  return useMemo(
    () =>
      new Set(
        alarms
          .filter((a) => a.acknowledgedAt === undefined && a.channelRef)
          .map((a) => `${a.accountId}|${a.channelRef}`),
      ),
    [alarms],
  );
}

/**
 * Maps: sites, buildings and floors with their plans; cameras dragged from the tree become pins; a
 * pin plays in the wall's selected pane (the wall is beside the plan), picked pins drag onto the
 * wall together, and an alarmed camera's pin flashes until its alarm is acknowledged.
 */
export function MapsPage() {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const { state, error, current, editing, picked } = useMapsStore(
    useShallow((s) => ({ state: s.state, error: s.error, current: s.current, editing: s.editing, picked: s.picked })),
  );
  const actions = useMapsStore(
    useShallow((s) => ({
      load: s.load,
      show: s.show,
      setEditing: s.setEditing,
      saveNode: s.saveNode,
      deleteNode: s.deleteNode,
      uploadPlan: s.uploadPlan,
      updatePin: s.updatePin,
      removePins: s.removePins,
      exportSite: s.exportSite,
      importSite: s.importSite,
      setPopOut: s.setPopOut,
    })),
  );
  const popOut = useMapsStore((s) => s.popOut);
  const trees = useWallStore(selectTrees);
  const panes = useWallStore(selectPanes);
  const layout = useWallStore((s) => s.layout);
  const alarmed = useAlarmedChannels();
  const [naming, setNaming] = useState<{ id?: string; kind: MapKind; parentId: string | null; name: string } | null>(
    null,
  );
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [folded, setFolded] = useState<string[]>([]);
  const [view, setView] = useState<'plan' | 'geo'>('plan');
  const planInput = useRef<HTMLInputElement>(null);
  const siteInput = useRef<HTMLInputElement>(null);
  const [importMode, setImportMode] = useState<'merge' | 'replace'>('merge');

  useEffect(() => {
    if (!state) void actions.load();
  }, [state, actions]);

  const fail = (e: unknown) => void message.error(e instanceof Error ? e.message : String(e));
  const nodes = state?.doc.nodes ?? [];
  const node = nodes.find((n) => n.id === current) ?? null;
  const pins = useMemo(() => (state?.doc.pins ?? []).filter((p) => p.mapId === current), [state, current]);
  const status = useMemo(() => {
    const m = new Map<string, TreeNode['status']>();
    for (const tree of Object.values(trees))
      for (const n of tree?.nodes ?? []) if (n.kind === 'channel') m.set(keyOf(n), n.status);
    return m;
  }, [trees]);
  const hot = useMemo(() => alarmedMaps(nodes, state?.doc.pins ?? [], alarmed), [nodes, state, alarmed]);
  const onePicked = picked.length === 1 ? pins.find((p) => p.id === picked[0]) : undefined;
  // A seat that takes the site's maps from another edits none (main refuses too): said, not hidden.
  const following = state?.prefs.share === 'follow' ? state.prefs.source : null;

  const treeData = useMemo(() => {
    const toData = (items: MapTreeItem[]): DataNode[] =>
      items.map(({ node: n, children }) => ({
        key: n.id,
        icon: KIND_ICON[n.kind],
        title: (
          <span data-testid="map-node" data-map-id={n.id}>
            {KIND_ICON[n.kind]} {hot.has(n.id) ? <Badge status="error" /> : null} {n.name}
          </span>
        ),
        children: children.length ? toData(children) : undefined,
      }));
    return toData(mapTree(nodes));
  }, [nodes, hot]);

  const grid = layoutFor(layout);
  return (
    <div style={{ display: 'flex', height: '100%' }} data-testid="maps-page">
      <div
        style={{
          width: 260,
          flexShrink: 0,
          borderRight: `1px solid ${themed.border}`,
          display: 'flex',
          flexDirection: 'column',
        }}
      >
        <Space wrap size={4} style={{ padding: 6 }}>
          <Tooltip title={t('maps.addSite')}>
            <Button
              size="small"
              icon={<PlusOutlined />}
              data-testid="maps-add-site"
              onClick={() => setNaming({ kind: 'site', parentId: null, name: '' })}
            >
              {t('maps.site')}
            </Button>
          </Tooltip>
          <Button
            size="small"
            icon={<PlusOutlined />}
            disabled={!node}
            data-testid="maps-add-child"
            onClick={() => node && setNaming({ kind: CHILD[node.kind], parentId: node.id, name: '' })}
          >
            {node ? t(`maps.kind.${CHILD[node.kind]}`) : t('maps.kind.building')}
          </Button>
          <Tooltip title={t('maps.rename')}>
            <Button
              size="small"
              icon={<EditOutlined />}
              disabled={!node}
              onClick={() =>
                node && setNaming({ id: node.id, kind: node.kind, parentId: node.parentId, name: node.name })
              }
            />
          </Tooltip>
          <Popconfirm
            title={t('maps.deleteConfirm', { name: node?.name ?? '' })}
            okText={t('maps.delete')}
            onConfirm={() => node && actions.deleteNode(node.id).catch(fail)}
            disabled={!node}
          >
            <Button size="small" danger icon={<DeleteOutlined />} disabled={!node} title={t('maps.delete')} />
          </Popconfirm>
          <Tooltip title={t('maps.settings')}>
            <Button
              size="small"
              icon={<SettingOutlined />}
              data-testid="maps-settings"
              onClick={() => setSettingsOpen(true)}
            />
          </Tooltip>
        </Space>
        {error && <Alert type="error" banner message={error} />}
        <div style={{ maxHeight: '40%', overflow: 'auto' }}>
          {nodes.length === 0 ? (
            <Typography.Paragraph type="secondary" style={{ padding: 12 }}>
              {t('maps.empty')}
            </Typography.Paragraph>
          ) : (
            <Tree
              blockNode
              // Everything open but what the operator folded: a new floor shows under its building.
              expandedKeys={nodes.filter((n) => !folded.includes(n.id)).map((n) => n.id)}
              onExpand={(keys) => {
                const open = new Set(keys.map(String));
                setFolded(nodes.filter((n) => !open.has(n.id)).map((n) => n.id));
              }}
              treeData={treeData}
              selectedKeys={current ? [current] : []}
              onSelect={(keys) => keys[0] && actions.show(String(keys[0]))}
              data-testid="maps-tree"
            />
          )}
        </div>
        <Typography.Text type="secondary" style={{ padding: '6px 8px 0', fontSize: 12 }}>
          {t('maps.dragHint')}
        </Typography.Text>
        <DeviceTree />
      </div>
      <div style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
        <Space wrap style={{ padding: 6, borderBottom: `1px solid ${themed.border}` }}>
          <Segmented
            size="small"
            value={view}
            onChange={(v) => setView(v as 'plan' | 'geo')}
            options={[
              { value: 'plan', label: t('maps.plan'), icon: <PictureOutlined /> },
              {
                value: 'geo',
                label: <span data-testid="maps-view-geo">{t('maps.geo')}</span>,
                icon: <GlobalOutlined />,
              },
            ]}
          />
          <Button
            size="small"
            icon={<UploadOutlined />}
            disabled={!node || !!following}
            data-testid="maps-upload"
            onClick={() => planInput.current?.click()}
          >
            {node?.image ? t('maps.replacePlan') : t('maps.uploadPlan')}
          </Button>
          {following && (
            <Typography.Text type="secondary" data-testid="maps-following">
              {t('maps.following', { seat: following })}
            </Typography.Text>
          )}
          <Switch
            size="small"
            checked={editing && !following}
            disabled={!!following}
            onChange={actions.setEditing}
            checkedChildren={t('maps.setup')}
            unCheckedChildren={t('maps.operate')}
            data-testid="maps-setup"
          />
          <Tooltip title={t('maps.popOutHint')}>
            <Switch
              size="small"
              checked={popOut}
              onChange={actions.setPopOut}
              checkedChildren={t('maps.popOut')}
              unCheckedChildren={t('maps.popOut')}
              data-testid="maps-pop-out"
            />
          </Tooltip>
          {onePicked && editing && (
            <Space size={4} data-testid="pin-inspector">
              <Typography.Text>{onePicked.name}</Typography.Text>
              <span>{t('maps.direction')}</span>
              <Slider
                style={{ width: 90 }}
                min={0}
                max={359}
                value={Math.round(onePicked.direction) % 360}
                onChangeComplete={(v) => actions.updatePin({ ...onePicked, direction: v }).catch(fail)}
              />
              <span>{t('maps.fov')}</span>
              <Slider
                style={{ width: 80 }}
                min={5}
                max={360}
                value={onePicked.fov}
                onChangeComplete={(v) => actions.updatePin({ ...onePicked, fov: v }).catch(fail)}
              />
              <span>{t('maps.range')}</span>
              <Slider
                style={{ width: 70 }}
                min={1}
                max={100}
                value={Math.round(onePicked.range * 100)}
                onChangeComplete={(v) => actions.updatePin({ ...onePicked, range: v / 100 }).catch(fail)}
              />
            </Space>
          )}
          {editing && picked.length > 0 && (
            <Button
              size="small"
              danger
              icon={<DeleteOutlined />}
              onClick={() => actions.removePins(picked).catch(fail)}
            >
              {t('maps.removePins', { count: picked.length })}
            </Button>
          )}
          {!editing && picked.length > 1 && (
            <Typography.Text type="secondary">{t('maps.pickedHint', { count: picked.length })}</Typography.Text>
          )}
          <span style={{ flex: 1 }} />
          <Button
            size="small"
            icon={<DownloadOutlined />}
            disabled={!nodes.length}
            onClick={async () => {
              try {
                const { fileName, text } = await actions.exportSite();
                const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
                const a = document.createElement('a');
                a.href = url;
                a.download = fileName;
                a.click();
                setTimeout(() => URL.revokeObjectURL(url), 10_000);
              } catch (e) {
                fail(e);
              }
            }}
          >
            {t('maps.export')}
          </Button>
          <Select
            size="small"
            value={importMode}
            onChange={setImportMode}
            style={{ width: 110 }}
            options={[
              { value: 'merge', label: t('maps.importMerge') },
              { value: 'replace', label: t('maps.importReplace') },
            ]}
          />
          <Button size="small" icon={<UploadOutlined />} onClick={() => siteInput.current?.click()}>
            {t('maps.import')}
          </Button>
        </Space>
        <input
          ref={planInput}
          type="file"
          hidden
          accept="image/png,image/jpeg,image/svg+xml,.png,.jpg,.jpeg,.svg"
          data-testid="maps-plan-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file && node)
              actions
                .uploadPlan(node.id, file)
                .then(() => void message.success(t('maps.planSaved')))
                .catch(fail);
          }}
        />
        <input
          ref={siteInput}
          type="file"
          hidden
          accept="application/json,.json"
          data-testid="maps-site-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            actions
              .importSite(file, importMode)
              .then((r) => {
                modal.info({
                  title: t('maps.imported', { maps: r.maps, pins: r.pins }),
                  content: r.skipped.length ? (
                    <ul data-testid="maps-import-skipped">
                      {r.skipped.map((s, i) => (
                        <li key={i}>{s}</li>
                      ))}
                    </ul>
                  ) : null,
                });
              })
              .catch(fail);
          }}
        />
        {view === 'geo' && state?.prefs.tileUrl ? (
          <Suspense fallback={null}>
            <GeoView tileUrl={state.prefs.tileUrl} alarmed={alarmed} />
          </Suspense>
        ) : view === 'geo' ? (
          <GeoPanel onSettings={() => setSettingsOpen(true)} />
        ) : node ? (
          <PlanView node={node} pins={pins} status={status} alarmed={alarmed} onError={fail} />
        ) : (
          <Typography.Paragraph type="secondary" style={{ margin: 48 }}>
            {t('maps.empty')}
          </Typography.Paragraph>
        )}
      </div>
      {/* The wall beside the plan: a pin plays in its selected pane, pins dropped on it fill panes. */}
      <div
        data-testid="maps-wall"
        style={{
          width: '34%',
          minWidth: 260,
          flexShrink: 0,
          display: 'grid',
          gap: 2,
          background: '#000',
          alignContent: 'start',
          gridTemplateColumns: `repeat(${grid.cols}, 1fr)`,
          gridAutoRows: `calc((34vw - 2px) * 9 / 16 / ${grid.cols})`,
        }}
      >
        {grid.cells.map((cell, i) => (
          <WallPane
            key={i}
            index={i}
            content={panes[i] ?? null}
            style={{
              gridColumn: `${cell.col + 1} / span ${cell.colSpan}`,
              gridRow: `${cell.row + 1} / span ${cell.rowSpan}`,
            }}
          />
        ))}
      </div>
      <Modal
        open={!!naming}
        title={naming?.id ? t('maps.rename') : t(`maps.add.${naming?.kind ?? 'site'}`)}
        okButtonProps={{ disabled: !naming?.name.trim(), 'data-testid': 'maps-name-ok' } as never}
        onCancel={() => setNaming(null)}
        onOk={async () => {
          if (!naming) return;
          try {
            await actions.saveNode({ ...naming, name: naming.name.trim() });
            setNaming(null);
          } catch (e) {
            fail(e);
          }
        }}
      >
        <Input
          autoFocus
          data-testid="maps-name"
          value={naming?.name ?? ''}
          maxLength={120}
          placeholder={t('maps.namePlaceholder')}
          onChange={(e) => naming && setNaming({ ...naming, name: e.target.value })}
        />
      </Modal>
      <MapSettings open={settingsOpen} onClose={() => setSettingsOpen(false)} />
      <PopupPlayer />
    </div>
  );
}

/** This seat's map choices: bring a map forward on an alarm, the control room, and the geographic map's tiles. */
function MapSettings({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { modal, message } = AntApp.useApp();
  const prefs = useMapsStore((s) => s.state?.prefs);
  const received = useMapsStore((s) => s.state?.received ?? null);
  const setPrefs = useMapsStore((s) => s.setPrefs);
  const [tileUrl, setTileUrl] = useState('');
  const [share, setShare] = useState<MapPrefs['share']>('off');
  const [source, setSource] = useState('');
  const [problem, setProblem] = useState<{ field: 'tileUrl' | 'source'; text: string } | null>(null);
  useEffect(() => {
    if (open) {
      setTileUrl(prefs?.tileUrl ?? '');
      setShare(prefs?.share ?? 'off');
      setSource(prefs?.source ?? '');
      setProblem(null);
    }
  }, [open, prefs?.tileUrl, prefs?.share, prefs?.source]);
  const save = async () => {
    try {
      const tilesChanged = tileUrl.trim() !== (prefs?.tileUrl ?? '');
      await setPrefs({ tileUrl, share, source: source.trim() });
      onClose();
      // The page's CSP names the tile origin: a new one takes a new page (main serves it with the new CSP).
      if (tilesChanged) {
        void message.info(t('maps.tileReload'));
        setTimeout(() => window.location.reload(), 600);
      }
    } catch (e) {
      const fields = (e as { details?: ErrorShape['details'] }).details?.fields;
      const issue = fields?.source ?? fields?.tileUrl;
      setProblem({
        field: fields?.source ? 'source' : 'tileUrl',
        text: issue ? t(issue.key, { defaultValue: issue.message }) : e instanceof Error ? e.message : String(e),
      });
    }
  };
  const startsFollowing = share === 'follow' && (prefs?.share !== 'follow' || prefs.source !== source.trim());
  return (
    <Modal
      open={open}
      title={t('maps.settings')}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'maps-settings-ok' } as never}
      onOk={() =>
        startsFollowing && source.trim()
          ? modal.confirm({ content: t('maps.followConfirm', { seat: source.trim() }), onOk: save })
          : save()
      }
    >
      <Form layout="vertical">
        <Form.Item label={t('maps.bringForward')} extra={t('maps.bringForwardHelp')}>
          <Switch
            data-testid="maps-bring-forward"
            checked={!!prefs?.bringForward}
            onChange={(bringForward) => void setPrefs({ bringForward })}
          />
        </Form.Item>
        <Form.Item label={t('maps.share')} extra={t('maps.shareHelp')}>
          <Segmented
            data-testid="maps-share"
            value={share}
            onChange={(v) => setShare(v as MapPrefs['share'])}
            options={[
              { value: 'off', label: t('maps.shareOff') },
              { value: 'publish', label: t('maps.sharePublish') },
              { value: 'follow', label: t('maps.shareFollow') },
            ]}
          />
        </Form.Item>
        {share === 'follow' && (
          <Form.Item
            label={t('maps.source')}
            validateStatus={problem?.field === 'source' ? 'error' : undefined}
            help={problem?.field === 'source' ? problem.text : undefined}
            extra={
              received && received.seat === prefs?.source
                ? t('maps.received', { seat: received.seat, time: new Date(received.version).toLocaleString() })
                : undefined
            }
          >
            <Input
              value={source}
              maxLength={64}
              placeholder="seat-1"
              onChange={(e) => setSource(e.target.value)}
              data-testid="maps-source"
            />
          </Form.Item>
        )}
        <Form.Item
          label={t('maps.tileUrl')}
          extra={t('maps.tileUrlHelp')}
          validateStatus={problem?.field === 'tileUrl' ? 'error' : undefined}
          help={problem?.field === 'tileUrl' ? problem.text : undefined}
        >
          <Input
            value={tileUrl}
            placeholder="https://tile.example.org/{z}/{x}/{y}.png"
            onChange={(e) => setTileUrl(e.target.value)}
            data-testid="maps-tile-url"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The geographic map while no tile address is set: off, and silent on the network. */
function GeoPanel({ onSettings }: { onSettings: () => void }) {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 24 }} data-testid="maps-geo">
      <Alert
        type="info"
        showIcon
        message={t('maps.geoOff')}
        description={t('maps.geoOffHelp')}
        action={
          <Button size="small" onClick={onSettings}>
            {t('maps.settings')}
          </Button>
        }
      />
    </div>
  );
}
