import {
  DeleteOutlined,
  EditOutlined,
  HistoryOutlined,
  PlayCircleOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  DatePicker,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Timeline as AntTimeline,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { BookmarkAuditEntry, BookmarkView } from '../../../preload/contract';
import { evidenceItemOf, formatSpan } from '../../model/bookmarks';
import { formatDateTime } from '../../model/time-format';
import { selectBookmarksPage } from '../../stores/bookmarks/selectors';
import { cameraKey, listenToBookmarks, useBookmarksStore } from '../../stores/bookmarks/store';
import type { VigilError } from '../../stores/errors';
import { BookmarkDialog, type BookmarkDraft } from './BookmarkDialog';
import { EvidenceDialog } from '../playback/EvidenceDialog';

/**
 * Every bookmark this seat knows (its own and other seats'), filtered by text, tag, camera and
 * time, sorted by time, one page at a time from main. A click opens playback at the bookmark with
 * its range selected; the author seat edits and deletes.
 */
export function BookmarksPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { filter, items, total, tags, cameras, loading, error, setFilter, load, remove, history, openInPlayback } =
    useBookmarksStore(useShallow(selectBookmarksPage));
  const [text, setText] = useState(filter.text);
  const [draft, setDraft] = useState<BookmarkDraft | null>(null);
  const [trail, setTrail] = useState<{ bookmark: BookmarkView; entries: BookmarkAuditEntry[] } | null>(null);
  const [selected, setSelected] = useState<BookmarkView[]>([]);
  // The bookmarks whose evidence the dialog exports (one row's button, or the rows ticked).
  const [evidence, setEvidence] = useState<BookmarkView[] | null>(null);

  useEffect(() => {
    void load();
    return listenToBookmarks();
  }, [load]);
  // The text filter follows typing after a pause, not every key.
  useEffect(() => {
    if (text === filter.text) return;
    const timer = window.setTimeout(() => void setFilter({ text }), 250);
    return () => window.clearTimeout(timer);
  }, [text, filter.text, setFilter]);

  const fail = (e: unknown) => void message.error((e as VigilError).message);
  const evidenceItems = useMemo(() => (evidence ?? []).map(evidenceItemOf), [evidence]);
  const readOnly = (b: BookmarkView) => t('bookmarks.readOnly', { seat: b.seat });

  return (
    <div style={{ padding: 16 }} data-testid="bookmarks-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('bookmarks.title')}
      </Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(v) => void setFilter({ text: v })}
          placeholder={t('bookmarks.search')}
          style={{ width: 280 }}
          data-testid="bookmarks-search"
        />
        <Select
          allowClear
          value={filter.tag ?? undefined}
          onChange={(v?: string) => void setFilter({ tag: v ?? null })}
          placeholder={t('bookmarks.anyTag')}
          options={tags.map((x) => ({ value: x, label: x }))}
          style={{ minWidth: 140 }}
          data-testid="bookmarks-tag"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          value={filter.camera ?? undefined}
          onChange={(v?: string) => void setFilter({ camera: v ?? null })}
          placeholder={t('bookmarks.anyCamera')}
          options={cameras.map((c) => ({ value: cameraKey(c), label: c.cameraName || c.channelId }))}
          style={{ minWidth: 180 }}
          data-testid="bookmarks-camera"
        />
        <DatePicker.RangePicker
          showTime
          value={filter.fromMs !== null && filter.toMs !== null ? [dayjs(filter.fromMs), dayjs(filter.toMs)] : null}
          onChange={(r) => void setFilter({ fromMs: r?.[0]?.valueOf() ?? null, toMs: r?.[1]?.valueOf() ?? null })}
          data-testid="bookmarks-range"
        />
        <Select
          value={filter.order}
          onChange={(order: 'asc' | 'desc') => void setFilter({ order })}
          options={[
            { value: 'desc', label: t('bookmarks.newest') },
            { value: 'asc', label: t('bookmarks.oldest') },
          ]}
          style={{ width: 130 }}
          data-testid="bookmarks-order"
        />
        <Button
          icon={<SafetyCertificateOutlined />}
          disabled={selected.length === 0}
          onClick={() => setEvidence(selected)}
          data-testid="bookmarks-evidence"
        >
          {t('bookmarks.exportSelected', { count: selected.length })}
        </Button>
        <Typography.Text type="secondary" data-testid="bookmarks-total" data-total={total}>
          {t('bookmarks.total', { count: total })}
        </Typography.Text>
      </Space>
      {error && <Alert type="error" showIcon message={error.message} style={{ marginBottom: 12 }} />}
      <Table<BookmarkView>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={items}
        locale={{ emptyText: t('bookmarks.empty') }}
        rowSelection={{
          selectedRowKeys: selected.map((b) => b.id),
          onChange: (_keys, rows) => setSelected(rows.slice(0, 64)),
        }}
        onRow={(b) => ({
          // Ticking a row's box selects it for evidence; it does not also open the bookmark.
          onClick: (e) => {
            if (!(e.target as HTMLElement).closest('.ant-table-selection-column')) openInPlayback(b);
          },
          style: { cursor: 'pointer' },
          'data-testid': 'bookmark-row',
          'data-id': b.id,
        })}
        pagination={{
          current: filter.page,
          pageSize: filter.pageSize,
          total,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          onChange: (page, pageSize) => void setFilter({ page, ...(pageSize !== filter.pageSize ? { pageSize } : {}) }),
        }}
        columns={[
          {
            title: t('bookmarks.time'),
            key: 'time',
            width: 220,
            render: (_, b) => (
              <span style={{ fontFamily: 'monospace' }}>
                {formatDateTime(b.startMs)}
                <br />
                <Typography.Text type="secondary">
                  {b.endMs > b.startMs
                    ? t('bookmarks.range', { duration: formatSpan(b.endMs - b.startMs) })
                    : t('bookmarks.moment')}
                </Typography.Text>
              </span>
            ),
          },
          {
            title: t('bookmarks.name'),
            dataIndex: 'name',
            render: (name: string, b) => (
              <span data-testid="bookmark-name-cell">
                <Typography.Text strong>{name}</Typography.Text>
                {b.note && (
                  <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                    {b.note}
                  </Typography.Paragraph>
                )}
              </span>
            ),
          },
          { title: t('bookmarks.camera'), dataIndex: 'cameraName', width: 180 },
          {
            title: t('bookmarks.tags'),
            dataIndex: 'tags',
            width: 200,
            render: (list: string[]) => list.map((x) => <Tag key={x}>{x}</Tag>),
          },
          {
            title: t('bookmarks.author'),
            key: 'author',
            width: 140,
            render: (_, b) => `${b.seat}${b.user ? ` · ${b.user}` : ''}`,
          },
          {
            key: 'actions',
            width: 180,
            render: (_, b) => (
              // Buttons act on the row; they do not also open it.
              <Space size={2} onClick={(e) => e.stopPropagation()}>
                <Tooltip title={t('bookmarks.open')}>
                  <Button
                    size="small"
                    type="text"
                    icon={<PlayCircleOutlined />}
                    aria-label={t('bookmarks.open')}
                    onClick={() => openInPlayback(b)}
                  />
                </Tooltip>
                <Tooltip title={t('bookmarks.exportEvidence')}>
                  <Button
                    size="small"
                    type="text"
                    icon={<SafetyCertificateOutlined />}
                    aria-label={t('bookmarks.exportEvidence')}
                    data-testid="bookmark-evidence"
                    onClick={() => setEvidence([b])}
                  />
                </Tooltip>
                <Tooltip title={b.mine ? t('common.edit') : readOnly(b)}>
                  <Button
                    size="small"
                    type="text"
                    icon={<EditOutlined />}
                    disabled={!b.mine}
                    aria-label={t('common.edit')}
                    data-testid="bookmark-edit"
                    onClick={() => setDraft({ kind: 'edit', bookmark: b })}
                  />
                </Tooltip>
                <Tooltip title={t('bookmarks.history')}>
                  <Button
                    size="small"
                    type="text"
                    icon={<HistoryOutlined />}
                    aria-label={t('bookmarks.history')}
                    data-testid="bookmark-history"
                    onClick={() => history(b.id).then((entries) => setTrail({ bookmark: b, entries }), fail)}
                  />
                </Tooltip>
                <Popconfirm
                  title={t('bookmarks.confirmDelete')}
                  disabled={!b.mine}
                  onConfirm={() => remove(b.id).then(() => void message.success(t('bookmarks.deleted')), fail)}
                  okButtonProps={{ danger: true, 'data-testid': 'bookmark-delete-ok' } as never}
                >
                  <Tooltip title={b.mine ? t('common.remove') : readOnly(b)}>
                    <Button
                      size="small"
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      disabled={!b.mine}
                      aria-label={t('common.remove')}
                      data-testid="bookmark-delete"
                    />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <BookmarkDialog draft={draft} onClose={() => setDraft(null)} />
      <EvidenceDialog open={evidence !== null} items={evidenceItems} onClose={() => setEvidence(null)} />
      <Modal
        open={!!trail}
        title={`${t('bookmarks.history')} · ${trail?.bookmark.name ?? ''}`}
        footer={null}
        onCancel={() => setTrail(null)}
      >
        <AntTimeline
          style={{ marginTop: 12 }}
          items={(trail?.entries ?? []).map((e) => ({
            children: (
              <div data-testid="bookmark-history-entry">
                <div>
                  {formatDateTime(e.at)} ·{' '}
                  {t('bookmarks.historyEntry', {
                    action: t(`bookmarks.action.${e.action}`),
                    who: `${e.seat}${e.user ? ` · ${e.user}` : ''}`,
                  })}
                </div>
                {Object.entries(e.changes).map(([field, [before, after]]) => (
                  <Typography.Text type="secondary" key={field} style={{ display: 'block', fontSize: 12 }}>
                    {field}: {show(before)} → {show(after)}
                  </Typography.Text>
                ))}
              </div>
            ),
          }))}
        />
      </Modal>
    </div>
  );
}

/** A field's value in the history: times as times, lists joined, nothing as a dash. */
function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.join(', ') || '—';
  if (typeof v === 'number' && v > 1e11) return formatDateTime(v);
  return String(v);
}
