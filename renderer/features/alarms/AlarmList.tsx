import {
  CheckOutlined,
  CloseCircleOutlined,
  EllipsisOutlined,
  PictureOutlined,
  PlayCircleOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Button, Dropdown, Empty, Input, Modal, Space, Tag, Timeline, Tooltip } from 'antd';
import { memo, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Alarm, AlarmAction, SeatPresence } from '../../../preload/contract';
import { byWhom, escalated, escalation } from '../../model/alarm-escalation';
import {
  selectAlarms,
  selectEscalateAfterSec,
  selectHasMore,
  selectMySeat,
  selectSeats,
} from '../../stores/alarms/selectors';
import { alarmName, useAlarmsStore } from '../../stores/alarms/store';
import { formatDateTime } from '../../model/time-format';

const ROW = 40;
const COLUMNS = '150px minmax(110px, 1.2fr) minmax(110px, 1fr) 200px 440px';
/**
 * Narrower than this, the actions show icons only (their names in tooltips): the named buttons
 * need ~1,050 px, and in a 1,024-px window the list scrolled sideways to reach them.
 */
const COMPACT_BELOW = 1050;
const COMPACT_COLUMNS = '140px minmax(100px, 1.2fr) minmax(90px, 1fr) 150px 172px';
const FLASH = '@keyframes vigil-alarm-flash { 50% { background: rgba(255, 77, 79, 0.35); } }';

/** A short beep through WebAudio (no sound file to ship); silent where the browser blocks audio. */
function beep(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.35);
    osc.onended = () => void ctx.close();
  } catch {
    // no audio device or not allowed: the flashing row and the badge still say it
  }
}

interface Props {
  onPicture(alarm: Alarm): void;
  onRecording(alarm: Alarm): void;
}

/** What a row can ask of the list (one object for the list's lifetime, so rows stay memoized). */
interface RowActions {
  picture(alarm: Alarm): void;
  recording(alarm: Alarm): void;
  close(alarm: Alarm): void;
  assign(alarm: Alarm): void;
  history(alarm: Alarm): void;
}

/**
 * The alarm list, virtualized (only the rows in view are in the page, so thousands of alarms a
 * minute keep the UI responsive): where each alarm stands and who handled it, its actions, and
 * escalation — an alarm nobody acknowledged within the set time flashes, and a beep sounds when
 * one more escalates. A new alarm renders its own row only: the rows already shown are memoized
 * on their alarm, and only their position moves.
 */
export function AlarmList({ onPicture, onRecording }: Props) {
  const { t } = useTranslation();
  const alarms = useAlarmsStore(selectAlarms);
  const escalateAfterSec = useAlarmsStore(selectEscalateAfterSec);
  const seats = useAlarmsStore(selectSeats);
  const mySeat = useAlarmsStore(selectMySeat);
  const scroller = useRef<HTMLDivElement>(null);
  const [compact, setCompact] = useState(false);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setCompact(e!.contentRect.width < COMPACT_BELOW));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const columns = compact ? COMPACT_COLUMNS : COLUMNS;
  const [now, setNow] = useState(() => Date.now());
  const [closing, setClosing] = useState<{ alarm: Alarm; note: string } | null>(null);
  const [assigning, setAssigning] = useState<{ alarm: Alarm; to: string } | null>(null);
  const [history, setHistory] = useState<{ alarm: Alarm; actions: AlarmAction[] } | null>(null);
  const virtual = useVirtualizer({
    count: alarms.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 8,
    getItemKey: (i) => alarms[i]!.id,
  });
  // Main answers its history in pages: the next one comes as the rows near the end of those here.
  const hasMore = useAlarmsStore(selectHasMore);
  const shownItems = virtual.getVirtualItems();
  const lastShown = shownItems[shownItems.length - 1]?.index ?? -1;
  useEffect(() => {
    if (hasMore && lastShown >= alarms.length - 20) void useAlarmsStore.getState().loadMore();
  }, [hasMore, lastShown, alarms.length]);

  const { count: escalatedCount, nextAt } = useMemo(
    () => escalation(alarms, now, escalateAfterSec),
    [alarms, now, escalateAfterSec],
  );
  // Re-render when the next alarm escalates (and every second while any flash), not on a blind timer.
  useEffect(() => {
    const wait = escalatedCount > 0 ? 1000 : nextAt !== null ? Math.max(50, nextAt - Date.now()) : null;
    if (wait === null) return;
    const timer = setTimeout(() => setNow(Date.now()), wait);
    return () => clearTimeout(timer);
  }, [now, escalatedCount, nextAt]);
  const heard = useRef(0);
  useEffect(() => {
    if (escalatedCount > heard.current) beep();
    heard.current = escalatedCount;
  }, [escalatedCount]);

  const others = useMemo(() => seats.filter((s) => s.seat !== mySeat), [seats, mySeat]);
  const store = useAlarmsStore.getState;
  const parent = useRef({ onPicture, onRecording });
  parent.current = { onPicture, onRecording };
  const actions = useMemo<RowActions>(
    () => ({
      picture: (a) => parent.current.onPicture(a),
      recording: (a) => parent.current.onRecording(a),
      close: (a) => setClosing({ alarm: a, note: '' }),
      assign: (a) => setAssigning({ alarm: a, to: '' }),
      history: (a) =>
        void useAlarmsStore
          .getState()
          .history(a.id)
          .then((list) => setHistory({ alarm: a, actions: list })),
    }),
    [],
  );

  return (
    <div data-testid="alarms-list" data-count={alarms.length} data-compact={compact || undefined}>
      <style>{FLASH}</style>
      <Header columns={columns} />
      <div
        ref={scroller}
        style={{ height: 'calc(100vh - 330px)', minHeight: 240, overflow: 'auto', contain: 'strict' }}
        data-testid="alarms-scroller"
      >
        {alarms.length === 0 && (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('alarms.empty')} data-testid="alarms-empty" />
        )}
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((row) => {
            const a = alarms[row.index]!;
            const flashing = escalated(a, now, escalateAfterSec);
            return (
              <div
                key={row.key}
                role="row"
                data-testid="alarm-row"
                data-alarm-id={a.id}
                data-escalated={flashing ? 'true' : undefined}
                className={a.acknowledgedAt === undefined ? 'alarm-open' : ''}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW,
                  transform: `translateY(${row.start}px)`,
                  display: 'grid',
                  gridTemplateColumns: columns,
                  gap: 8,
                  alignItems: 'center',
                  padding: '0 8px',
                  borderBottom: '1px solid rgba(255,255,255,0.06)',
                  animation: flashing ? 'vigil-alarm-flash 1s step-end infinite' : undefined,
                }}
              >
                <AlarmRow alarm={a} others={others} actions={actions} compact={compact} />
              </div>
            );
          })}
        </div>
      </div>
      <Modal
        open={!!closing}
        title={t('alarms.closeTitle')}
        okText={t('alarms.close')}
        okButtonProps={{
          disabled: !closing?.note.trim(),
          ...({ 'data-testid': 'alarm-close-ok' } as Record<string, string>),
        }}
        onOk={() => {
          if (closing) void store().close(closing.alarm.id, closing.note.trim());
          setClosing(null);
        }}
        onCancel={() => setClosing(null)}
      >
        <Input.TextArea
          autoFocus
          rows={3}
          maxLength={2000}
          placeholder={t('alarms.notePlaceholder')}
          value={closing?.note ?? ''}
          onChange={(e) => closing && setClosing({ ...closing, note: e.target.value })}
          data-testid="alarm-close-note"
        />
      </Modal>
      <Modal
        open={!!assigning}
        title={t('alarms.assignTitle')}
        okText={t('alarms.assign')}
        okButtonProps={{
          disabled: !assigning?.to.trim(),
          ...({ 'data-testid': 'alarm-assign-ok' } as Record<string, string>),
        }}
        onOk={() => {
          if (assigning) void store().assign(assigning.alarm.id, assigning.to.trim());
          setAssigning(null);
        }}
        onCancel={() => setAssigning(null)}
      >
        <Space wrap style={{ marginBottom: 8 }}>
          {others.map((s) => (
            <Button key={s.seat} size="small" onClick={() => assigning && setAssigning({ ...assigning, to: s.seat })}>
              {s.seat}
            </Button>
          ))}
        </Space>
        <Input
          maxLength={64}
          placeholder={t('alarms.assignPlaceholder')}
          value={assigning?.to ?? ''}
          onChange={(e) => assigning && setAssigning({ ...assigning, to: e.target.value })}
          data-testid="alarm-assign-to"
        />
      </Modal>
      <Modal open={!!history} title={t('alarms.history')} footer={null} onCancel={() => setHistory(null)}>
        {history && history.actions.length === 0 && <span>{t('alarms.noHistory')}</span>}
        <Timeline
          items={(history?.actions ?? []).map((x) => ({
            children: `${formatDateTime(x.at)} · ${t(`alarms.action.${x.kind}`)} · ${byWhom(x) || '—'}${
              x.to ? ` → ${x.to}` : ''
            }${x.note ? ` · ${x.note}` : ''}`,
          }))}
          data-testid="alarm-history"
        />
      </Modal>
    </div>
  );
}

const Header = memo(function Header({ columns }: { columns: string }) {
  const { t } = useTranslation();
  return (
    <div
      style={{ display: 'grid', gridTemplateColumns: columns, gap: 8, padding: '4px 8px', fontWeight: 600 }}
      role="row"
    >
      <span>{t('alarms.time')}</span>
      <span>{t('alarms.camera')}</span>
      <span>{t('alarms.type')}</span>
      <span>{t('alarms.status')}</span>
      <span />
    </div>
  );
});

function StateTag({ a }: { a: Alarm }) {
  const { t } = useTranslation();
  if (a.state === 'closed')
    return (
      <Tooltip title={a.note}>
        <Tag data-testid="alarm-state" data-state="closed">
          {t('alarms.closedBy', { who: byWhom(a.closedBy) || '—' })}
        </Tag>
      </Tooltip>
    );
  if (a.state === 'assigned')
    return (
      <Tag color="blue" data-testid="alarm-state" data-state="assigned">
        {t('alarms.assignedTo', { who: a.assignedTo })}
      </Tag>
    );
  if (a.acknowledgedAt !== undefined)
    return (
      <Tooltip title={formatDateTime(a.acknowledgedAt)}>
        <Tag color="green" data-testid="alarm-acked" data-state="acknowledged">
          {byWhom(a.acknowledgedBy)
            ? t('alarms.acknowledgedBy', { who: byWhom(a.acknowledgedBy) })
            : t('alarms.acknowledged')}
        </Tag>
      </Tooltip>
    );
  return (
    <Tag color="red" data-testid="alarm-state" data-state="new">
      {t('alarms.new')}
    </Tag>
  );
}

/** One alarm's cells: rendered again only when its alarm (or the seats) changed. */
const AlarmRow = memo(function AlarmRow({
  alarm: a,
  others,
  actions,
  compact,
}: {
  alarm: Alarm;
  others: SeatPresence[];
  actions: RowActions;
  compact: boolean;
}) {
  const { t } = useTranslation();
  const store = useAlarmsStore.getState;
  const noChannel = a.channelRef ? undefined : t('alarms.noChannel');
  return (
    <>
      <span>{formatDateTime(a.at)}</span>
      <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
        {a.channelName || `${a.deviceId}/${a.channelId}`}
      </span>
      <Space size={4} style={{ overflow: 'hidden' }}>
        <span data-testid="alarm-type">{a.typeName ? `${a.type} (${a.typeName})` : a.type}</span>
        {a.replayedSignature && (
          <Tooltip title={t('alarms.replayedWhy')}>
            <Tag color="orange" data-testid="alarm-replayed">
              {t('alarms.replayed')}
            </Tag>
          </Tooltip>
        )}
      </Space>
      <span>
        <StateTag a={a} />
      </span>
      <Space size={4}>
        {a.acknowledgedAt === undefined && (
          <Action
            compact={compact}
            icon={<CheckOutlined />}
            label={t('alarms.acknowledge')}
            type="primary"
            onClick={() => void store().acknowledge(a.id)}
            testId="alarm-ack"
          />
        )}
        {a.state !== 'closed' && (
          <>
            <Action
              compact={compact}
              icon={<UserAddOutlined />}
              label={t('alarms.assign')}
              onClick={() => actions.assign(a)}
              testId="alarm-assign"
            />
            <Action
              compact={compact}
              icon={<CloseCircleOutlined />}
              label={t('alarms.close')}
              onClick={() => actions.close(a)}
              testId="alarm-close"
            />
          </>
        )}
        <Action
          compact={compact}
          icon={<PictureOutlined />}
          label={t('alarms.picture')}
          onClick={() => actions.picture(a)}
          testId="alarm-picture"
        />
        <Action
          compact={compact}
          icon={<PlayCircleOutlined />}
          label={t('alarms.playback')}
          why={noChannel}
          onClick={() => actions.recording(a)}
          testId="alarm-playback"
        />
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              { key: 'history', label: t('alarms.history') },
              ...(others.length && a.channelRef
                ? [
                    {
                      key: 'send',
                      label: t('alarms.sendTo'),
                      children: others.map((s) => ({
                        key: `send:${s.seat}`,
                        label: `${s.seat}${s.online ? '' : ` (${t('controlRoom.offline')})`}`,
                      })),
                    },
                  ]
                : []),
            ],
            onClick: ({ key }) => {
              if (key === 'history') actions.history(a);
              else if (key.startsWith('send:') && a.channelRef)
                void store().sendToSeat(key.slice(5), {
                  kind: 'open-channel',
                  accountId: a.accountId,
                  channelId: a.channelRef,
                  name: alarmName(a),
                });
            },
          }}
        >
          <Button
            size="small"
            icon={compact ? <EllipsisOutlined /> : undefined}
            aria-label={t('alarms.more')}
            data-testid="alarm-more"
          >
            {compact ? null : t('alarms.more')}
          </Button>
        </Dropdown>
      </Space>
    </>
  );
});

/**
 * One row action: named, or in a compact list its icon with the name as tooltip (and accessible
 * name). `why` disables it and says why.
 */
function Action(props: {
  compact: boolean;
  icon: ReactNode;
  label: string;
  why?: string;
  type?: 'primary';
  onClick(): void;
  testId: string;
}) {
  return (
    <Tooltip title={props.why ?? (props.compact ? props.label : undefined)}>
      <Button
        size="small"
        type={props.type}
        icon={props.compact ? props.icon : undefined}
        disabled={!!props.why}
        aria-label={props.label}
        onClick={props.onClick}
        data-testid={props.testId}
      >
        {props.compact ? null : props.label}
      </Button>
    </Tooltip>
  );
}
