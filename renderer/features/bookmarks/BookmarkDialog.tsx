import { Alert, DatePicker, Form, Input, Modal, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BookmarkView } from '../../../preload/contract';
import {
  BOOKMARK_NAME_MAX,
  BOOKMARK_PROBLEMS,
  bookmarkProblems,
  type BookmarkField,
} from '../../../common/bookmark-rules';
import { formatSpan } from '../../model/bookmarks';
import { useBookmarksStore } from '../../stores/bookmarks/store';
import type { VigilError } from '../../stores/errors';

/** What the dialog opens with: a new bookmark of a camera at a moment or range, or one to edit. */
export type BookmarkDraft =
  | {
      kind: 'new';
      camera: { accountId: string; channelId: string; cameraName: string };
      startMs: number;
      endMs: number;
    }
  | { kind: 'edit'; bookmark: BookmarkView };

const TIME = 'YYYY-MM-DD HH:mm:ss';

/**
 * Name (required), note and tags of a bookmark, and its start and end (equal: a moment). The
 * problems are bookmark-rules' — the same main checks — shown under their field as the operator
 * types; main's answer, if it still refuses, shows the same way.
 */
export function BookmarkDialog(props: { draft: BookmarkDraft | null; onClose(saved?: BookmarkView): void }) {
  const { t } = useTranslation();
  const { draft } = props;
  const tags = useBookmarksStore((s) => s.tags);
  const saving = useBookmarksStore((s) => s.saving);
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const [chosenTags, setTags] = useState<string[]>([]);
  const [startMs, setStart] = useState(0);
  const [endMs, setEnd] = useState(0);
  const [tried, setTried] = useState(false);
  const [failure, setFailure] = useState<{ message: string; fields: Partial<Record<string, string>> } | null>(null);

  useEffect(() => {
    if (!draft) return;
    const b = draft.kind === 'edit' ? draft.bookmark : null;
    setName(b?.name ?? '');
    setNote(b?.note ?? '');
    setTags(b?.tags ?? []);
    setStart(b?.startMs ?? (draft.kind === 'new' ? draft.startMs : 0));
    setEnd(b?.endMs ?? (draft.kind === 'new' ? draft.endMs : 0));
    setTried(false);
    setFailure(null);
  }, [draft]);

  const problems = useMemo(
    () => bookmarkProblems({ name, note, tags: chosenTags, startMs, endMs }),
    [name, note, chosenTags, startMs, endMs],
  );
  // A blank name is said once the operator tried to save, not while the dialog opens.
  const shown = problems.filter((p) => tried || p !== 'nameRequired');
  const errorOf = (field: BookmarkField): string | undefined => {
    const p = shown.find((x) => BOOKMARK_PROBLEMS[x].field === field);
    return p ? t(`bookmarks.problem.${p}`) : failure?.fields[field];
  };
  const camera = draft?.kind === 'edit' ? draft.bookmark : draft?.camera;

  const save = async () => {
    setTried(true);
    if (!draft || problems.length) return;
    setFailure(null);
    const fields = { name, note, tags: chosenTags, startMs, endMs };
    const store = useBookmarksStore.getState();
    try {
      const saved =
        draft.kind === 'new'
          ? await store.create({ ...draft.camera, ...fields })
          : await store.update({ id: draft.bookmark.id, ...fields });
      props.onClose(saved);
    } catch (e) {
      const err = e as VigilError;
      const fieldsOut: Record<string, string> = {};
      for (const [k, v] of Object.entries(err.details?.fields ?? {}))
        fieldsOut[k] = t(v.key, { defaultValue: v.message });
      setFailure({ message: err.message, fields: fieldsOut });
    }
  };

  const item = (field: BookmarkField) => {
    const error = errorOf(field);
    return {
      validateStatus: error ? ('error' as const) : undefined,
      help: error ? <span data-testid={`bookmark-problem-${field}`}>{error}</span> : undefined,
    };
  };

  return (
    <Modal
      open={!!draft}
      title={t(draft?.kind === 'edit' ? 'bookmarks.editTitle' : 'bookmarks.newTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => void save()}
      onCancel={() => props.onClose()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'bookmark-save' } as never}
      destroyOnHidden
      width={560}
    >
      <Form layout="vertical" data-testid="bookmark-dialog" onFinish={() => void save()}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid="bookmark-camera">
          {t('bookmarks.camera')}: {camera?.cameraName || camera?.channelId} ·{' '}
          {endMs > startMs ? t('bookmarks.range', { duration: formatSpan(endMs - startMs) }) : t('bookmarks.moment')}
        </Typography.Paragraph>
        <Form.Item label={t('bookmarks.name')} required {...item('name')}>
          <Input
            autoFocus
            value={name}
            placeholder={t('bookmarks.namePlaceholder')}
            onChange={(e) => setName(e.target.value)}
            onPressEnter={() => void save()}
            count={{ show: true, max: BOOKMARK_NAME_MAX, strategy: (v) => [...v.trim()].length }}
            data-testid="bookmark-name"
          />
        </Form.Item>
        <div style={{ display: 'flex', gap: 8 }}>
          <Form.Item label={t('bookmarks.start')} style={{ flex: 1 }} {...item('startMs')}>
            <DatePicker
              showTime
              format={TIME}
              allowClear={false}
              value={dayjs(startMs)}
              onChange={(d) => {
                if (!d) return;
                // A moment stays a moment when its time is moved.
                if (endMs === startMs) setEnd(d.valueOf());
                setStart(d.valueOf());
              }}
              style={{ width: '100%' }}
              data-testid="bookmark-start"
            />
          </Form.Item>
          <Form.Item label={t('bookmarks.end')} style={{ flex: 1 }} {...item('endMs')}>
            <DatePicker
              showTime
              format={TIME}
              allowClear={false}
              value={dayjs(endMs)}
              onChange={(d) => d && setEnd(d.valueOf())}
              style={{ width: '100%' }}
              data-testid="bookmark-end"
            />
          </Form.Item>
        </div>
        <Form.Item label={t('bookmarks.note')} {...item('note')}>
          <Input.TextArea
            value={note}
            autoSize={{ minRows: 2, maxRows: 6 }}
            onChange={(e) => setNote(e.target.value)}
            data-testid="bookmark-note"
          />
        </Form.Item>
        <Form.Item label={t('bookmarks.tags')} {...item('tags')}>
          <Select
            mode="tags"
            value={chosenTags}
            onChange={setTags}
            tokenSeparators={[',', '，']}
            placeholder={t('bookmarks.tagsPlaceholder')}
            options={tags.map((x) => ({ value: x, label: x }))}
            data-testid="bookmark-tags"
          />
        </Form.Item>
        {failure && !Object.keys(failure.fields).length && (
          <Alert type="error" showIcon message={failure.message} data-testid="bookmark-error" />
        )}
      </Form>
    </Modal>
  );
}
