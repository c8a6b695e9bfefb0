import { Alert, Badge, Space, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SeatPresence } from '../../../preload/contract';
import { selectBroker } from '../../stores/alarms/selectors';
import { useAlarmsStore } from '../../stores/alarms/store';

/**
 * The site's agents (the always-on members, `npm run agent`): presence, health and queue as
 * their presence carries it. When the site has agents and none is online, or the online ones
 * receive no account, alarms pushed while no seat receives them are lost: said in red.
 */
export function AgentStatus() {
  const { t } = useTranslation();
  const room = useAlarmsStore(selectBroker);
  if (!room) return null;
  const agents = room.seats.filter((s) => s.kind === 'agent');
  if (agents.length === 0) return null;
  const online = agents.filter((a) => a.online);
  const receiving = online.filter((a) => (a.health?.receiving.length ?? 0) > 0);
  return (
    <div style={{ marginTop: 8 }} data-testid="agents">
      {online.length === 0 ? (
        <Alert type="error" showIcon title={t('controlRoom.agentsNoneOnline')} data-testid="agents-warning" />
      ) : receiving.length === 0 ? (
        <Alert type="warning" showIcon title={t('controlRoom.agentsReceiveNothing')} data-testid="agents-warning" />
      ) : null}
      <Space wrap style={{ marginTop: 8 }}>
        <span>{t('controlRoom.agents')}</span>
        {agents.map((a) => (
          <AgentTag key={a.seat} agent={a} />
        ))}
      </Space>
    </div>
  );
}

function AgentTag({ agent }: { agent: SeatPresence }) {
  const { t } = useTranslation();
  const h = agent.health;
  const detail = h
    ? t('controlRoom.agentHealth', {
        queued: h.queued,
        unacknowledged: h.unacknowledged,
        perMinute: h.alarmsPerMinute,
        last: h.lastAlarmAt ? new Date(h.lastAlarmAt).toLocaleString() : '—',
        accounts: h.receiving.length,
      })
    : '';
  return (
    <Tooltip title={detail}>
      <Space size={4} data-testid="agent" data-agent={agent.seat} data-online={agent.online ? 'true' : 'false'}>
        <Badge status={agent.online ? 'success' : 'error'} />
        <span>{agent.seat}</span>
        {agent.online && h && h.queued > 0 && (
          <Tag color="gold" data-testid="agent-queued">
            {t('controlRoom.queuedShort', { count: h.queued })}
          </Tag>
        )}
        {agent.online && h && (
          <Tag data-testid="agent-receiving" data-count={h.receiving.length}>
            {t('controlRoom.agentReceiving', { count: h.receiving.length })}
          </Tag>
        )}
        {agent.online && h && (h.standingBy?.length ?? 0) > 0 && (
          <Tag data-testid="agent-standing-by">{t('controlRoom.agentStandingBy', { count: h.standingBy!.length })}</Tag>
        )}
      </Space>
    </Tooltip>
  );
}
