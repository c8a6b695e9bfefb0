import { DeleteOutlined, EditOutlined, LockOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Input, Popconfirm, Result, Select, Space, Switch, Table, Tag, Tooltip } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LibraryScope, Target, TargetGroup } from '../../../preload/contract';
import { useAccountsStore } from '../../stores/accounts/store';
import { useTargetsStore } from '../../stores/targets/store';
import { ImportDialog } from './ImportDialog';
import { TargetForm } from './TargetForm';
import { useShallow } from 'zustand/react/shallow';
import { selectGroups, selectLibraryPage } from '../../stores/targets/selectors';
import { accountsThatCan } from '../../model/capabilities';
import { themed } from '../common/theme-vars';

/**
 * Target libraries (face watch lists) on devices: pick an account and a device, then its
 * groups (create, rename, enable, delete) and the selected group's targets, loaded page by page,
 * filtered locally, edited one by one, deleted in batches, or imported from a CSV.
 */
export function TargetLibraryPage() {
  const { t } = useTranslation();
  const accounts = useAccountsStore((s) => s.accounts);
  const s = useTargetsStore(useShallow(selectLibraryPage));
  const devices = useTargetsStore((st) => st.scopes);
  const [accountId, setAccountId] = useState<string | null>(s.accountId);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [editing, setEditing] = useState<Target | null | 'new'>(null);
  const [importing, setImporting] = useState(false);
  const [deleteReport, setDeleteReport] = useState<string | null>(null);
  // Accounts with target libraries (Huawei IVM devices, chapter 14; Alibaba VCS watch lists, §3.5).
  const usable = accountsThatCan(accounts, 'targets');
  const firstId = usable[0]?.id;

  useEffect(() => {
    if (!accountId && firstId) setAccountId(firstId);
  }, [accountId, firstId]);
  useEffect(() => {
    if (accountId) void useTargetsStore.getState().loadScopes(accountId);
  }, [accountId]);

  const visible = useMemo(() => {
    const q = filter.trim().toLowerCase();
    if (!q) return s.targets;
    return s.targets.filter((x) =>
      Object.values(x).some((v) => typeof v === 'string' && !v.startsWith('data:') && v.toLowerCase().includes(q)),
    );
  }, [s.targets, filter]);

  if (usable.length === 0) {
    return (
      <Result
        status="info"
        title={t('library.unavailable')}
        subTitle={t('library.unavailableWhy')}
        data-testid="library-unavailable"
      />
    );
  }
  const group = s.library?.groups.find((g) => g.id === s.groupId) ?? null;

  return (
    <div style={{ display: 'flex', height: '100%' }} data-testid="library-page">
      <div
        style={{ width: 340, borderRight: `1px solid ${themed.border}`, padding: 12, overflow: 'auto', flexShrink: 0 }}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select
            style={{ width: '100%' }}
            value={accountId ?? undefined}
            onChange={(id: string) => setAccountId(id)}
            options={usable.map((a) => ({ value: a.id, label: a.name }))}
            aria-label={t('library.account')}
            data-testid="library-account"
          />
          <Select
            showSearch
            optionFilterProp="label"
            style={{ width: '100%' }}
            placeholder={t('library.pickDevice')}
            value={s.accountId === accountId ? (s.deviceId ?? undefined) : undefined}
            onChange={(deviceId: string) => accountId && void s.select(accountId, deviceId)}
            options={pickerOptions(devices, t('library.noLibraryShort'))}
            // An account without such devices says which devices qualify, not antd's "No data".
            notFoundContent={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('library.noDevices')} />}
            data-testid="library-device"
          />
          {s.error && (
            <Alert
              type="error"
              showIcon
              closable={{ onClose: s.clearError }}
              // A device without a target library (main says why): what it means and what to do.
              title={s.error.details?.reason === 'noLibrary' ? t('library.noLibrary') : s.error.message}
              description={
                s.error.details?.reason === 'noLibrary'
                  ? [s.error.details?.vendorCode, s.error.message].filter(Boolean).join(': ')
                  : undefined
              }
              data-testid="library-error"
            />
          )}
          {s.library && <Groups />}
        </Space>
      </div>
      <div style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column', padding: 12 }}>
        {!group ? (
          <Empty description={s.library ? t('library.pickGroup') : t('library.pickDevice')} />
        ) : (
          <>
            <Space wrap style={{ marginBottom: 8 }}>
              <strong data-testid="library-group-title">{group.name}</strong>
              <Input.Search
                allowClear
                placeholder={t('library.filter')}
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                style={{ width: 220 }}
                data-testid="library-filter"
              />
              {s.library?.actions.addTargets ? (
                <>
                  <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="library-add">
                    {t('library.addTarget')}
                  </Button>
                  <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="library-import">
                    {t('library.import')}
                  </Button>
                </>
              ) : (
                <Tooltip title={t('library.noAddWhy')}>
                  <Tag data-testid="library-list-only">{t('library.listOnly')}</Tag>
                </Tooltip>
              )}
              <Popconfirm
                title={t('library.deleteSelected', { n: selected.length })}
                disabled={selected.length === 0}
                okButtonProps={{ danger: true, 'data-testid': 'library-delete-selected-ok' } as never}
                onConfirm={async () => {
                  const results = await s.deleteTargets(selected);
                  setSelected([]);
                  const failed = results.filter((r) => !r.ok);
                  setDeleteReport(failed.length ? failed.map((r) => `${r.id}: ${r.message}`).join('\n') : null);
                }}
              >
                <Button
                  danger
                  icon={<DeleteOutlined />}
                  disabled={selected.length === 0}
                  data-testid="library-delete-selected"
                >
                  {t('library.deleteN', { n: selected.length })}
                </Button>
              </Popconfirm>
              <span data-testid="library-loaded">{t('library.loaded', { n: s.targets.length, total: s.total })}</span>
              {s.targets.length < s.total && (
                <Button onClick={() => void s.loadMore()} loading={s.loading} data-testid="library-more">
                  {t('library.more')}
                </Button>
              )}
            </Space>
            {deleteReport && (
              <Alert
                type="warning"
                showIcon
                closable={{ onClose: () => setDeleteReport(null) }}
                title={deleteReport}
                style={{ marginBottom: 8 }}
              />
            )}
            <Table<Target>
              size="small"
              rowKey="id"
              virtual
              scroll={{ y: 600 }}
              pagination={false}
              dataSource={visible}
              rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
              onRow={(record) =>
                ({
                  onDoubleClick: () => s.library?.actions.editTargets && setEditing(record),
                  'data-testid': `target-row-${record.id}`,
                }) as React.HTMLAttributes<HTMLElement>
              }
              onScroll={(e) => {
                const el = e.currentTarget;
                if (el.scrollTop + el.clientHeight > el.scrollHeight - 80 && s.targets.length < s.total && !s.loading)
                  void s.loadMore();
              }}
              columns={[
                {
                  title: '',
                  dataIndex: 'picture',
                  width: 56,
                  render: (p?: string) =>
                    p ? <img src={p} alt="" style={{ width: 40, height: 40, objectFit: 'cover' }} /> : null,
                },
                { title: t('library.attr.name'), dataIndex: 'name', width: 160 },
                {
                  title: t('library.attr.gender'),
                  dataIndex: 'gender',
                  width: 80,
                  render: (g?: string) => (g ? t(`library.${g}`) : ''),
                },
                ...(s.library?.attributes ?? [])
                  .slice(0, 4)
                  .map((k) => ({ title: t(`library.attr.${k}`), dataIndex: k, width: 120 })),
                // A details column where the platform gives items a details text (the data says so, not the vendor).
                ...(s.targets.some((x) => x.details) ? [{ title: t('library.details'), dataIndex: 'details' }] : []),
                { title: 'ID', dataIndex: 'id', width: 120 },
                ...(s.library?.actions.editTargets
                  ? [
                      {
                        title: '',
                        width: 48,
                        render: (_: unknown, r: Target) => (
                          <Button
                            size="small"
                            icon={<EditOutlined />}
                            onClick={() => setEditing(r)}
                            data-testid={`target-edit-${r.id}`}
                            aria-label={t('common.edit')}
                          />
                        ),
                      },
                    ]
                  : []),
              ]}
              data-testid="library-targets"
            />
          </>
        )}
      </div>
      <TargetForm
        open={editing !== null}
        target={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
      />
      <ImportDialog open={importing} onClose={() => setImporting(false)} />
    </div>
  );
}

/** The device's groups: name, target count, enable switch, lock for fixed groups; create, rename, delete. */
function Groups() {
  const { t } = useTranslation();
  const { library, groupId, selectGroup, createGroup, updateGroup, deleteGroup, loading } = useTargetsStore(
    useShallow(selectGroups),
  );
  const [name, setName] = useState('');
  const [type, setType] = useState<string | undefined>();
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  if (!library) return null;
  const full = library.maxGroups !== -1 && library.groups.length >= library.maxGroups;
  // Each platform's own limit (IVM 63, Alibaba 64), counted in characters as the platforms do.
  const maxName = library.maxGroupName;
  const nameProblem = [...name.trim()].length > maxName ? t('validation.groupName', { max: maxName }) : null;
  const row = (g: TargetGroup) => (
    <div
      key={g.id}
      onClick={() => void selectGroup(g.id)}
      style={{
        padding: '6px 8px',
        borderRadius: 4,
        cursor: 'pointer',
        background: g.id === groupId ? 'rgba(22,119,255,0.2)' : undefined,
        display: 'flex',
        alignItems: 'center',
        gap: 6,
      }}
      data-testid={`group-row-${g.id}`}
    >
      {renaming?.id === g.id ? (
        <Input
          size="small"
          autoFocus
          value={renaming.name}
          maxLength={maxName}
          onClick={(e) => e.stopPropagation()}
          onChange={(e) => setRenaming({ id: g.id, name: e.target.value })}
          onPressEnter={() =>
            renaming.name.trim() &&
            void updateGroup(g.id, renaming.name.trim(), g.enabled ?? true).then(() => setRenaming(null))
          }
          onBlur={() => setRenaming(null)}
          data-testid={`group-rename-input-${g.id}`}
        />
      ) : (
        <span style={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis' }}>
          {g.name}{' '}
          <span style={{ opacity: 0.6 }} data-testid={`group-count-${g.id}`}>
            ({g.count})
          </span>
        </span>
      )}
      {g.hidden && <Tag>{t('library.hidden')}</Tag>}
      {g.fixed && (
        <Tooltip title={t('library.fixed')}>
          <LockOutlined />
        </Tooltip>
      )}
      {g.enabled !== null && library.actions.enableGroups && (
        <Tooltip title={g.enabled ? t('library.enabled') : t('library.disabled')}>
          <Switch
            size="small"
            checked={g.enabled}
            disabled={loading || (g.fixed && !g.builtin)}
            onClick={(on, e) => (e.stopPropagation(), void updateGroup(g.id, g.name, on))}
            data-testid={`group-enable-${g.id}`}
          />
        </Tooltip>
      )}
      {!g.fixed && (
        <Button
          size="small"
          type="text"
          icon={<EditOutlined />}
          onClick={(e) => (e.stopPropagation(), setRenaming({ id: g.id, name: g.name }))}
          aria-label={t('library.rename')}
          data-testid={`group-rename-${g.id}`}
        />
      )}
      {!g.builtin && (
        <Popconfirm
          title={t('library.deleteGroup', { name: g.name, n: g.count })}
          onConfirm={() => void deleteGroup(g.id)}
          okButtonProps={{ danger: true, 'data-testid': `group-delete-ok-${g.id}` } as never}
        >
          <Button
            size="small"
            type="text"
            danger
            icon={<DeleteOutlined />}
            onClick={(e) => e.stopPropagation()}
            aria-label={t('common.remove')}
            data-testid={`group-delete-${g.id}`}
          />
        </Popconfirm>
      )}
    </div>
  );
  return (
    <div data-testid="library-groups">
      <div style={{ fontSize: 12, opacity: 0.7, margin: '4px 0' }}>
        {library.family} ·{' '}
        {library.maxGroups === -1
          ? t('library.groupsCount', { count: library.groups.length })
          : t('library.groupsOf', { n: library.groups.length, max: library.maxGroups })}
      </div>
      {library.groups.map(row)}
      <Space.Compact style={{ width: '100%', marginTop: 8 }}>
        <Input
          placeholder={t('library.newGroup')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          status={nameProblem ? 'error' : ''}
          data-testid="group-new-name"
        />
        <Select
          style={{ width: 110 }}
          placeholder={t('library.type')}
          allowClear
          value={type}
          onChange={setType}
          options={library.groupTypes.map((x) => ({ value: x, label: t(`library.types.${x}`, { defaultValue: x }) }))}
          data-testid="group-new-type"
        />
        <Button
          type="primary"
          disabled={!name.trim() || Boolean(nameProblem) || full || loading}
          onClick={() => void createGroup(name.trim(), type).then((ok) => ok && (setName(''), setType(undefined)))}
          data-testid="group-new-save"
        >
          {t('library.create')}
        </Button>
      </Space.Compact>
      {nameProblem && <div style={{ color: themed.errorText, fontSize: 12 }}>{nameProblem}</div>}
    </div>
  );
}

/**
 * Devices that hold a library first, those that could not be asked next, those without one
 * last, greyed, with the reason beside the name (and in the tooltip).
 */
function pickerOptions(devices: LibraryScope[], noLibrary: string) {
  const rank = (d: LibraryScope) => (d.library === false ? 2 : d.library === null ? 1 : 0);
  return [...devices]
    .sort((a, b) => rank(a) - rank(b))
    .map((d) => ({
      value: d.id,
      disabled: d.library === false,
      title: d.why ?? d.name,
      label: d.library === false ? `${d.name} — ${noLibrary}` : d.name,
    }));
}
