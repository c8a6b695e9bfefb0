import { Alert, Button, Popconfirm, Table, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { PinnedKey } from '../../../preload/contract';
import { formatDateTime } from '../../model/time-format';
import { selectKeys, selectRoom } from '../../stores/alarms/selectors';
import { useAlarmsStore } from '../../stores/alarms/store';

/**
 * The members' signing keys this seat pinned on first sight, for a supervisor to compare with the
 * fingerprint each seat shows of its own key, and what this seat refused from the broker lately.
 * Revoking forgets a pinned key: the key the member offered since (or the next it announces) is
 * pinned instead.
 */
export function SeatKeys() {
  const { t } = useTranslation();
  const room = useAlarmsStore(selectRoom);
  const keys = useAlarmsStore(selectKeys);
  const notices = room?.notices ?? [];
  // Again when a notice comes (a refused key shows its offered fingerprint) or the seats change.
  const stamp = `${notices[0]?.at ?? 0}|${room?.seats.length ?? 0}|${room?.state ?? ''}`;
  useEffect(() => {
    if (room?.enabled)
      void useAlarmsStore
        .getState()
        .loadKeys()
        .catch(() => undefined);
  }, [room?.enabled, stamp]);
  if (!room?.enabled || !keys) return null;
  const columns = [
    { title: t('controlRoom.keys.seat'), dataIndex: 'seat', key: 'seat' },
    {
      title: t('controlRoom.keys.fingerprint'),
      key: 'fingerprint',
      render: (_: unknown, k: PinnedKey) => (
        <>
          <Typography.Text code copyable style={{ fontSize: 11 }}>
            {k.fingerprint}
          </Typography.Text>
          {k.offered && (
            <div data-testid="seat-key-offered">
              <Tag color="red">{t('controlRoom.keys.offered')}</Tag>
              <Typography.Text code style={{ fontSize: 11 }}>
                {k.offered.fingerprint}
              </Typography.Text>
            </div>
          )}
        </>
      ),
    },
    {
      title: t('controlRoom.keys.firstSeen'),
      key: 'firstSeen',
      render: (_: unknown, k: PinnedKey) => formatDateTime(k.firstSeen),
    },
    {
      title: '',
      key: 'revoke',
      render: (_: unknown, k: PinnedKey) =>
        k.seat === room.seat ? (
          <Tag>{t('controlRoom.thisSeat')}</Tag>
        ) : (
          <Popconfirm
            title={t('controlRoom.keys.revokeConfirm', { seat: k.seat })}
            onConfirm={() => void useAlarmsStore.getState().revokeKey(k.seat)}
          >
            <Button size="small" danger data-testid="seat-key-revoke">
              {t('controlRoom.keys.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];
  return (
    <div style={{ marginTop: 8 }} data-testid="seat-keys">
      <Typography.Text type="secondary">
        {t('controlRoom.keys.own')}{' '}
        <Typography.Text code copyable data-testid="seat-key-own">
          {keys.own ?? '—'}
        </Typography.Text>
      </Typography.Text>
      <Table
        size="small"
        rowKey="seat"
        pagination={false}
        columns={columns}
        dataSource={keys.keys}
        style={{ marginTop: 4 }}
        locale={{ emptyText: t('controlRoom.keys.none') }}
      />
      {notices.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="room-notices"
          title={t('controlRoom.keys.refused')}
          description={
            <ul style={{ margin: 0, paddingLeft: 16 }}>
              {notices.map((n) => (
                <li key={`${n.at}|${n.text}`}>
                  {formatDateTime(n.at)} · {n.text}
                </li>
              ))}
            </ul>
          }
        />
      )}
    </div>
  );
}
