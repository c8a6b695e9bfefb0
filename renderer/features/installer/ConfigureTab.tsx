import { Alert, Button, Card, Input, InputNumber, Popconfirm, Select, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { Capability, StreamSetting, TreeNode } from '../../../preload/contract';
import { useConfigureStore } from '../../stores/configure/store';
import { Services } from './Services';
import { can } from '../../model/capabilities';
import { decodesH265 } from '../../media/engines/codecs';
import { themed } from '../common/theme-vars';

/**
 * Configure one channel of a Huawei IVM or Tencent IVC account: its group (IVM §5.6, IVC E23), its name (IVM §7.1), its encoder streams with only
 * the values the camera offers (§17), the camera's own password (§16), its paid services
 * (§12–§13), or delete its device.
 * Every change is followed by a re-read, and the platform's refusal is shown verbatim.
 */
export function ConfigureTab({ accountId, capabilities }: { accountId: string; capabilities: Capability[] }) {
  const { t } = useTranslation();
  const { nodes, channelId, message } = useConfigureStore(
    useShallow((s) => ({ nodes: s.nodes, channelId: s.channelId, message: s.message })),
  );
  const { open, select, dismissMessage, rename, move, deleteDevice } = useConfigureStore.getState();
  useEffect(() => void open(accountId), [open, accountId]);
  const channels = nodes.filter((n) => n.kind === 'channel');
  const channel = channels.find((c) => c.id === channelId);
  return (
    <div data-testid="configure-tab">
      <Select
        showSearch
        optionFilterProp="label"
        style={{ width: 320, marginBottom: 12 }}
        placeholder={t('plans.pickChannel')}
        value={channelId ?? undefined}
        onChange={select}
        options={channels.map((c) => ({ value: c.id, label: c.name }))}
        data-testid="configure-channel"
      />
      {message && (
        <Alert
          type={message.ok ? 'success' : 'error'}
          showIcon
          closable={{ onClose: dismissMessage }}
          title={message.ok ? t(message.code) : message.text}
          style={{ marginBottom: 12 }}
          data-testid="configure-message"
        />
      )}
      {channel && (
        <Space direction="vertical" style={{ width: '100%' }} key={channel.id}>
          {can({ capabilities }, 'deviceAdmin.rename') && (
            <Rename channel={channel} onSave={(name) => void rename(name)} />
          )}
          <Group nodes={nodes} channel={channel} onMove={move} />
          <Streams />
          <Password />
          <Services />
          <Card size="small" title={t('configure.delete')}>
            <Popconfirm
              title={t('configure.deleteConfirm', { name: channel.name })}
              okButtonProps={{ danger: true, 'data-testid': 'configure-delete-ok' } as never}
              onConfirm={deleteDevice}
            >
              <Button danger data-testid="configure-delete">
                {t('configure.deleteDevice')}
              </Button>
            </Popconfirm>
          </Card>
        </Space>
      )}
    </div>
  );
}

/** The group a channel's device is in, and a move to another (IVM §5.6, Tencent E23). */
function Group({
  nodes,
  channel,
  onMove,
}: {
  nodes: TreeNode[];
  channel: TreeNode;
  onMove(groupId: string): Promise<void>;
}) {
  const { t } = useTranslation();
  const device = nodes.find((n) => n.id === channel.parentId);
  const groups = nodes.filter((n) => n.kind === 'group');
  const current = groups.find((g) => g.id === device?.parentId);
  const [target, setTarget] = useState<string | undefined>();
  const busy = useConfigureStore((s) => s.busy === 'move');
  const path = (g: TreeNode): string => {
    const parent = groups.find((p) => p.id === g.parentId);
    return parent ? `${path(parent)} / ${g.name}` : g.name;
  };
  return (
    <Card size="small" title={t('configure.group')}>
      <Space wrap>
        <span data-testid="configure-group-current">{current ? path(current) : t('configure.groupRoot')}</span>
        <Select
          showSearch
          optionFilterProp="label"
          style={{ width: 320 }}
          placeholder={t('configure.moveTo')}
          value={target}
          onChange={setTarget}
          options={groups.filter((g) => g.id !== current?.id).map((g) => ({ value: g.id, label: path(g) }))}
          data-testid="configure-group"
        />
        <Button
          type="primary"
          disabled={!target || !device}
          loading={busy}
          onClick={async () => {
            await onMove(target!);
            setTarget(undefined);
          }}
          data-testid="configure-move"
        >
          {t('configure.move')}
        </Button>
      </Space>
    </Card>
  );
}

function Rename({ channel, onSave }: { channel: TreeNode; onSave(name: string): void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(channel.name);
  const bad = !/^[\p{Script=Han}A-Za-z0-9 _-]{1,128}$/u.test(name.trim());
  return (
    <Card size="small" title={t('configure.name')}>
      <Space.Compact style={{ width: 420 }}>
        <Input
          value={name}
          onChange={(e) => setName(e.target.value)}
          status={bad ? 'error' : ''}
          data-testid="configure-name"
        />
        <Button
          type="primary"
          disabled={bad || name.trim() === channel.name}
          onClick={() => onSave(name.trim())}
          data-testid="configure-name-save"
        >
          {t('common.save')}
        </Button>
      </Space.Compact>
    </Card>
  );
}

function Streams() {
  const { t } = useTranslation();
  const { value: settings, unavailable } = useConfigureStore((s) => s.streams);
  const busy = useConfigureStore((s) => s.busy === 'streams');
  const [draft, setDraft] = useState<StreamSetting[]>([]);
  // What the camera has now is the draft again after each read or save.
  useEffect(() => setDraft(settings?.streams.map((x) => x.current) ?? []), [settings]);
  if (unavailable)
    return (
      <Card size="small" title={t('configure.streams')}>
        <span style={{ opacity: 0.7 }} data-testid="configure-streams-unavailable">
          {unavailable}
        </span>
      </Card>
    );
  if (!settings || draft.length !== settings.streams.length) return <Spin />;
  const set = (i: number, patch: Partial<StreamSetting>) =>
    setDraft(draft.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const problems = draft.map((d, i) => {
    const r = settings.streams[i]!.options.find((o) => o.encoder === d.encoder)?.resolutions.find(
      (x) => x.size === d.resolution,
    );
    if (!r) return t('configure.pickResolution');
    if ((r.minBitRate !== null && d.bitRate < r.minBitRate) || (r.maxBitRate !== null && d.bitRate > r.maxBitRate))
      return t('configure.bitRateRange', { min: r.minBitRate, max: r.maxBitRate });
    return null;
  });
  const changed = draft.filter((d, i) => JSON.stringify(d) !== JSON.stringify(settings.streams[i]!.current));
  return (
    <Card size="small" title={t('configure.streams')} data-testid="configure-streams">
      {draft.map((d, i) => {
        const options = settings.streams[i]!.options;
        const resolutions = options.find((o) => o.encoder === d.encoder)?.resolutions ?? [];
        const r = resolutions.find((x) => x.size === d.resolution);
        return (
          <Space key={d.stream} wrap style={{ marginBottom: 8 }} data-testid={`stream-${d.stream}`}>
            <strong style={{ width: 80, display: 'inline-block' }}>{t(`configure.stream${d.stream}`)}</strong>
            <Select
              value={d.encoder}
              style={{ width: 100 }}
              options={options.map((o) => ({ value: o.encoder, label: o.encoder }))}
              onChange={(encoder: string) => set(i, { encoder })}
              data-testid={`stream-${d.stream}-encoder`}
            />
            <Select
              value={d.resolution}
              style={{ width: 130 }}
              options={resolutions.map((x) => ({ value: x.size, label: x.size }))}
              onChange={(resolution: string) => set(i, { resolution })}
              status={r ? '' : 'error'}
              data-testid={`stream-${d.stream}-resolution`}
            />
            <Select
              value={d.frameRate}
              style={{ width: 90 }}
              options={(r?.frameRates ?? []).map((f) => ({ value: f, label: `${f} fps` }))}
              onChange={(frameRate: number) => set(i, { frameRate })}
              data-testid={`stream-${d.stream}-fps`}
            />
            <InputNumber
              value={d.bitRate}
              onChange={(v) => set(i, { bitRate: typeof v === 'number' ? v : 0 })}
              addonAfter="kbit/s"
              status={problems[i] ? 'error' : ''}
              style={{ width: 170 }}
              data-testid={`stream-${d.stream}-bitrate`}
            />
            {problems[i] && <span style={{ color: themed.errorText, fontSize: 12 }}>{problems[i]}</span>}
            {/^H\.?265$/i.test(d.encoder) && !decodesH265() && (
              // Sub streams fill the wall: where the camera offers H.264 the operator can spare the transcodes.
              <span style={{ fontSize: 12, opacity: 0.8 }} data-testid={`stream-${d.stream}-h265-hint`}>
                {t('configure.h265Hint')}
                {d.stream > 0 && options.find((o) => /^H\.?264$/i.test(o.encoder)) && (
                  <Button
                    size="small"
                    type="link"
                    data-testid={`stream-${d.stream}-use-h264`}
                    onClick={() => {
                      const h264 = options.find((o) => /^H\.?264$/i.test(o.encoder))!;
                      const keep = h264.resolutions.find((x) => x.size === d.resolution) ?? h264.resolutions[0];
                      set(i, { encoder: h264.encoder, ...(keep ? { resolution: keep.size } : {}) });
                    }}
                  >
                    {t('configure.useH264')}
                  </Button>
                )}
              </span>
            )}
          </Space>
        );
      })}
      <div>
        <Button
          type="primary"
          loading={busy}
          disabled={changed.length === 0 || problems.some(Boolean)}
          onClick={() => void useConfigureStore.getState().saveStreams(changed)}
          data-testid="configure-streams-save"
        >
          {t('common.save')}
        </Button>
      </div>
    </Card>
  );
}

function Password() {
  const { t } = useTranslation();
  const { value: state, unavailable } = useConfigureStore((s) => s.password);
  const busy = useConfigureStore((s) => s.busy === 'password');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(next)).length;
  const problem =
    next && (next.length < 8 || next.length > 20 || kinds < 2)
      ? t('validation.devicePassword')
      : next && again && next !== again
        ? t('configure.mismatch')
        : null;
  return (
    <Card size="small" title={t('configure.password')}>
      {unavailable ? (
        <span style={{ opacity: 0.7 }} data-testid="configure-password-unavailable">
          {unavailable}
        </span>
      ) : (
        <Space wrap>
          <span data-testid="configure-password-state">
            {state === 'SET' ? t('configure.passwordNone') : state === 'MODIFY' ? t('configure.passwordSet') : '…'}
          </span>
          {state === 'MODIFY' && (
            <Input.Password
              placeholder={t('configure.currentPassword')}
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
              autoComplete="off"
              style={{ width: 180 }}
            />
          )}
          <Input.Password
            placeholder={t('configure.newPassword')}
            value={next}
            onChange={(e) => setNext(e.target.value)}
            status={problem ? 'error' : ''}
            autoComplete="new-password"
            style={{ width: 180 }}
            data-testid="configure-password-new"
          />
          <Input.Password
            placeholder={t('configure.repeatPassword')}
            value={again}
            onChange={(e) => setAgain(e.target.value)}
            autoComplete="new-password"
            style={{ width: 180 }}
            data-testid="configure-password-again"
          />
          <Button
            type="primary"
            disabled={!next || next !== again || Boolean(problem) || (state === 'MODIFY' && !current)}
            loading={busy}
            onClick={async () => {
              const saved = await useConfigureStore
                .getState()
                .savePassword(next, state === 'MODIFY' ? current : undefined);
              if (!saved) return;
              setCurrent('');
              setNext('');
              setAgain('');
            }}
            data-testid="configure-password-save"
          >
            {t('common.save')}
          </Button>
          {problem && <span style={{ color: themed.errorText, fontSize: 12 }}>{problem}</span>}
        </Space>
      )}
    </Card>
  );
}
