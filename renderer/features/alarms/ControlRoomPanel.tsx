import { Alert, Badge, Button, Card, Checkbox, Form, Input, InputNumber, Space, Switch, Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ControlRoomSettings, ControlRoomStatus } from '../../../preload/contract';
import { selectBroker, selectLastCommand, selectRoom, selectRoomSettings } from '../../stores/alarms/selectors';
import { listenToAlarms, useAlarmsStore } from '../../stores/alarms/store';
import { AgentStatus } from './AgentStatus';
import { SeatKeys } from './SeatKeys';
import type { VigilError } from '../../stores/errors';
import { useWallStore } from '../../stores/wall/store';

const STATE_COLOR: Record<ControlRoomStatus['state'], string> = {
  off: 'default',
  connecting: 'gold',
  online: 'green',
  offline: 'gold',
  error: 'red',
};

/** The broker's state in a few words, for the status bar of every page. */
export function BrokerStatus() {
  const { t } = useTranslation();
  const room = useAlarmsStore(selectBroker);
  useEffect(() => listenToAlarms(), []);
  if (!room) return null;
  return (
    <>
      <SeatCommandNotice />
      <Tooltip title={room.error ?? t('controlRoom.queued', { count: room.queued })}>
        <Tag color={STATE_COLOR[room.state]} data-testid="broker-status" data-state={room.state} style={{ margin: 8 }}>
          {t(`controlRoom.state.${room.state}`)}
          {room.queued > 0 ? ` · ${t('controlRoom.queuedShort', { count: room.queued })}` : ''}
        </Tag>
      </Tooltip>
    </>
  );
}

/**
 * What another seat just did to this seat's wall, said in the status bar; a whole wall it replaced
 * can be put back with Undo (the operator may have been watching something).
 */
function SeatCommandNotice() {
  const { t } = useTranslation();
  const last = useAlarmsStore(selectLastCommand);
  if (!last) return null;
  const { command, undo } = last;
  const who = command.from.user ? `${command.from.seat} (${command.from.user})` : command.from.seat;
  const what =
    command.command.kind === 'open-channel'
      ? t('controlRoom.openedChannel', { who, name: command.command.name })
      : t('controlRoom.openedView', { who });
  return (
    <Space size={4} data-testid="seat-command" data-kind={command.command.kind} style={{ margin: '0 8px' }}>
      <span>{what}</span>
      {undo && (
        <Button size="small" onClick={() => useAlarmsStore.getState().undoCommand()} data-testid="seat-command-undo">
          {t('controlRoom.undo')}
        </Button>
      )}
      <Button
        size="small"
        type="text"
        onClick={() => useAlarmsStore.getState().dismissCommand()}
        data-testid="seat-command-dismiss"
      >
        ×
      </Button>
    </Space>
  );
}

/**
 * The control room: this seat's broker settings (the password goes to the keychain; a bad URL,
 * a refused login or a TLS failure is said beside the form), the seats with their presence, and
 * this seat's wall sent to another seat.
 */
export function ControlRoomPanel() {
  const { t } = useTranslation();
  const settings = useAlarmsStore(selectRoomSettings);
  const room = useAlarmsStore(selectRoom);
  const [draft, setDraft] = useState<(ControlRoomSettings & { password: string }) | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (settings && !draft) setDraft({ ...settings, password: '' });
  }, [settings]);
  if (!settings || !room || !draft) return null;
  const save = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      const { password, ...rest } = draft;
      await useAlarmsStore.getState().saveRoom({ ...rest, ...(password ? { password } : {}) });
      setDraft({ ...draft, password: '' });
    } catch (e) {
      const err = e as VigilError;
      const fields =
        err.details && 'fields' in err.details ? (err.details.fields as Record<string, { message: string }>) : null;
      setSaveError(
        fields
          ? Object.values(fields)
              .map((f) => f.message)
              .join('; ')
          : err.message,
      );
    } finally {
      setSaving(false);
    }
  };
  const sendWall = (seat: string) => {
    const wall = useWallStore.getState();
    void useAlarmsStore.getState().sendToSeat(seat, {
      kind: 'open-view',
      view: { name: `${room.seat}`, layout: wall.layout, panes: wall.panes.map((p) => p ?? null) },
    });
  };
  const others = room.seats.filter((s) => s.seat !== room.seat);
  return (
    <Card size="small" title={t('controlRoom.title')} style={{ marginBottom: 12 }} data-testid="control-room">
      <Form layout="inline" size="small" style={{ rowGap: 8 }}>
        <Form.Item label={t('controlRoom.enabled')}>
          <Switch
            checked={draft.enabled}
            onChange={(enabled) => setDraft({ ...draft, enabled })}
            data-testid="room-enabled"
          />
        </Form.Item>
        <Form.Item label={t('controlRoom.brokerUrl')}>
          <Input
            style={{ width: 260 }}
            placeholder="mqtts://broker.site:8883"
            value={draft.brokerUrl}
            onChange={(e) => setDraft({ ...draft, brokerUrl: e.target.value.trim() })}
            data-testid="room-url"
          />
        </Form.Item>
        <Form.Item label={t('controlRoom.site')}>
          <Input
            style={{ width: 100 }}
            value={draft.site}
            onChange={(e) => setDraft({ ...draft, site: e.target.value })}
          />
        </Form.Item>
        <Form.Item label={t('controlRoom.seat')}>
          <Input
            style={{ width: 100 }}
            value={draft.seat}
            onChange={(e) => setDraft({ ...draft, seat: e.target.value })}
            data-testid="room-seat"
          />
        </Form.Item>
        <Form.Item label={t('controlRoom.user')}>
          <Input
            style={{ width: 120 }}
            value={draft.user}
            onChange={(e) => setDraft({ ...draft, user: e.target.value })}
            data-testid="room-user"
          />
        </Form.Item>
        <Form.Item label={t('controlRoom.username')}>
          <Input
            style={{ width: 120 }}
            autoComplete="off"
            value={draft.username}
            onChange={(e) => setDraft({ ...draft, username: e.target.value })}
          />
        </Form.Item>
        <Form.Item label={t('controlRoom.password')}>
          <Input.Password
            style={{ width: 140 }}
            autoComplete="new-password"
            placeholder={room.hasPassword ? t('controlRoom.passwordKept') : ''}
            value={draft.password}
            onChange={(e) => setDraft({ ...draft, password: e.target.value })}
            data-testid="room-password"
          />
        </Form.Item>
        <Form.Item label={t('controlRoom.escalateAfter')}>
          <InputNumber
            min={5}
            max={3600}
            value={draft.escalateAfterSec}
            onChange={(v) => typeof v === 'number' && setDraft({ ...draft, escalateAfterSec: v })}
            addonAfter="s"
            style={{ width: 110 }}
          />
        </Form.Item>
        <Form.Item label={t('controlRoom.retention')}>
          <InputNumber
            min={1}
            max={3650}
            value={draft.retentionDays}
            onChange={(v) => typeof v === 'number' && setDraft({ ...draft, retentionDays: v })}
            addonAfter={t('controlRoom.days')}
            style={{ width: 120 }}
          />
        </Form.Item>
        <Form.Item>
          <Checkbox
            checked={draft.alarmPane}
            onChange={(e) => setDraft({ ...draft, alarmPane: e.target.checked })}
            data-testid="room-alarm-pane"
          >
            {t('controlRoom.alarmPane')}
          </Checkbox>
        </Form.Item>
        <Form.Item>
          <Tooltip title={t('controlRoom.pollEventsWhy')}>
            <Checkbox
              checked={draft.pollEvents}
              onChange={(e) => setDraft({ ...draft, pollEvents: e.target.checked })}
              data-testid="room-poll-events"
            >
              {t('controlRoom.pollEvents')}
            </Checkbox>
          </Tooltip>
        </Form.Item>
        <Form.Item label={t('controlRoom.ca')}>
          <Input.TextArea
            style={{ width: 260 }}
            rows={1}
            placeholder="-----BEGIN CERTIFICATE-----"
            value={draft.ca}
            onChange={(e) => setDraft({ ...draft, ca: e.target.value })}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="room-save">
            {t('controlRoom.save')}
          </Button>
        </Form.Item>
      </Form>
      {saveError && (
        <Alert type="error" showIcon title={saveError} style={{ marginTop: 8 }} data-testid="room-save-error" />
      )}
      {room.enabled && room.error && (
        <Alert type="warning" showIcon title={room.error} style={{ marginTop: 8 }} data-testid="room-error" />
      )}
      {room.enabled && (
        <Space wrap style={{ marginTop: 8 }} data-testid="seats">
          <span>{t('controlRoom.seats')}</span>
          {room.seats.map((s) => (
            <Space
              key={s.seat}
              size={4}
              data-testid="seat"
              data-seat={s.seat}
              data-online={s.online ? 'true' : 'false'}
            >
              <Badge status={s.online ? 'success' : 'default'} />
              <span>
                {s.seat}
                {s.user ? ` (${s.user})` : ''}
                {s.seat === room.seat ? ` · ${t('controlRoom.thisSeat')}` : ''}
              </span>
              {s.seat !== room.seat && s.kind !== 'agent' && (
                <Button size="small" onClick={() => sendWall(s.seat)} data-testid="seat-send-wall">
                  {t('controlRoom.sendWall')}
                </Button>
              )}
            </Space>
          ))}
          {others.length === 0 && <span style={{ opacity: 0.7 }}>{t('controlRoom.alone')}</span>}
        </Space>
      )}
      <AgentStatus />
      <SeatKeys />
    </Card>
  );
}
