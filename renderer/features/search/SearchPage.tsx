import { CloseCircleOutlined, PictureOutlined, PlayCircleOutlined, SearchOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Empty,
  Input,
  Pagination,
  Select,
  Slider,
  Space,
  Spin,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TargetType } from '../../../preload/contract';
import { useAccountsStore } from '../../stores/accounts/store';
import { PAGE_SIZE, useSearchStore } from '../../stores/search/store';
import { parseAttributes } from '../../model/search-attributes';
import { useShallow } from 'zustand/react/shallow';
import { selectSearchPage } from '../../stores/search/selectors';
import { accountsThatCan } from '../../model/capabilities';
import { formatDateTime } from '../../model/time-format';
import { FilePicker } from '../common/FilePicker';
import { useWallStore } from '../../stores/wall/store';
import { selectTreeActions, selectTreeNodes } from '../../stores/wall/selectors';
import { usePlaybackStore } from '../../stores/playback/store';

const TARGET_TYPES: TargetType[] = ['Face', 'Body', 'Motor', 'NonMotor', 'Event', 'AIoT'];
const MAX_IMAGE_BYTES = 500 * 1024;

/**
 * Target search over a platform's analysis results: by attributes or by a query image, within a
 * project and time range; hits as a gallery of crops (fetched by main, never by URL here).
 */
export function SearchPage() {
  const { t } = useTranslation();
  const replayOnPage = usePlaybackStore((s) => s.replayOnPage);
  const accounts = useAccountsStore((s) => s.accounts);
  const s = useSearchStore(useShallow(selectSearchPage));
  const [attributesText, setAttributesText] = useState('');
  const [image, setImage] = useState<{ name: string; base64: string; preview: string } | null>(null);
  const [imageError, setImageError] = useState<string | null>(null);
  const [similarity, setSimilarity] = useState(0.8);
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(1, 'day'), dayjs()]);
  const parsed = parseAttributes(attributesText);

  // Accounts whose platform can search (others say so when picked).
  const searchable = accountsThatCan(accounts, 'imageSearch');
  const firstId = searchable[0]?.id;
  const { accountId, selectAccount } = s;
  useEffect(() => {
    if (!accountId && firstId) void selectAccount(firstId);
  }, [accountId, firstId, selectAccount]);

  // Hits name their camera by device ID: the account's device tree gives the name operators know.
  const nodes = useWallStore(selectTreeNodes(accountId));
  const { loadTree } = useWallStore(useShallow(selectTreeActions));
  useEffect(() => {
    if (accountId && !nodes) void loadTree(accountId);
  }, [accountId, nodes, loadTree]);
  const names = useMemo(() => new Map((nodes ?? []).map((n) => [n.id, n.name])), [nodes]);

  const pickImage = (file: File) => {
    setImageError(null);
    if (!/^image\/(jpeg|png)$/.test(file.type)) return setImageError(t('search.imageType'));
    if (file.size > MAX_IMAGE_BYTES) return setImageError(t('search.imageTooLarge'));
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      setImage({ name: file.name, base64: url.slice(url.indexOf(',') + 1), preview: url });
    };
    reader.onerror = () => setImageError(t('search.imageUnreadable'));
    reader.readAsDataURL(file);
  };

  const run = () => {
    if (!s.accountId || !s.scopeId || !parsed.ok) return;
    void s.search({
      accountId: s.accountId,
      scopeId: s.scopeId,
      targetType: s.targetType,
      pageSize: PAGE_SIZE,
      range: { startMs: range[0].valueOf(), endMs: range[1].valueOf() },
      ...(parsed.filters.length ? { attributes: parsed.filters } : {}),
      ...(image ? { imageBase64: image.base64, similarity } : {}),
    });
  };

  if (searchable.length === 0)
    return <Empty style={{ marginTop: 80 }} description={t('search.noAccount')} data-testid="search-page" />;

  return (
    <div data-testid="search-page" style={{ padding: 16, display: 'flex', flexDirection: 'column', gap: 12 }}>
      <Space wrap>
        <Select
          style={{ width: 200 }}
          value={s.accountId ?? undefined}
          onChange={(id: string) => void s.selectAccount(id)}
          options={searchable.map((a) => ({ value: a.id, label: a.name }))}
          aria-label={t('search.account')}
        />
        <Select
          style={{ width: 180 }}
          value={s.scopeId ?? undefined}
          onChange={s.setScope}
          options={s.scopes.map((c) => ({ value: c.id, label: c.name }))}
          placeholder={t('search.project')}
          aria-label={t('search.project')}
          data-testid="search-scope"
        />
        <Select
          style={{ width: 140 }}
          value={s.targetType}
          onChange={s.setTargetType}
          options={TARGET_TYPES.map((v) => ({ value: v, label: t(`search.type.${v}`) }))}
          aria-label={t('search.targetType')}
        />
        <DatePicker.RangePicker
          showTime
          value={range}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          allowClear={false}
        />
      </Space>
      <Space wrap align="start">
        <Tooltip title={t('search.attributesHelp')}>
          <Input
            style={{ width: 360 }}
            value={attributesText}
            onChange={(e) => setAttributesText(e.target.value)}
            placeholder="GenderCode=1; HairColor=4,1"
            status={parsed.ok ? undefined : 'error'}
            aria-label={t('search.attributes')}
            data-testid="search-attributes"
          />
        </Tooltip>
        <FilePicker
          accept="image/jpeg,image/png"
          icon={<PictureOutlined />}
          label={image ? image.name : t('search.byImage')}
          showChosen={false}
          testId="search-image-input"
          onFiles={([file]) => pickImage(file!)}
        />
        {image && (
          <>
            <img src={image.preview} alt="" style={{ height: 32, borderRadius: 4 }} />
            <Button
              type="text"
              icon={<CloseCircleOutlined />}
              onClick={() => setImage(null)}
              aria-label={t('search.clearImage')}
            />
            <Space>
              {t('search.similarity')}
              <Slider
                style={{ width: 140 }}
                min={0}
                max={0.99}
                step={0.01}
                value={similarity}
                onChange={setSimilarity}
              />
              {Math.round(similarity * 100)}%
            </Space>
          </>
        )}
        <Button
          type="primary"
          icon={<SearchOutlined />}
          onClick={run}
          loading={s.loading}
          disabled={!s.scopeId || !parsed.ok}
          data-testid="search-run"
        >
          {t('search.run')}
        </Button>
      </Space>
      {!parsed.ok && <Typography.Text type="danger">{parsed.error}</Typography.Text>}
      {imageError && <Alert type="error" showIcon message={imageError} />}
      {s.scopesError && <Alert type="error" showIcon message={s.scopesError.message} />}
      {s.error && <Alert type="error" showIcon message={s.error.message} data-testid="search-error" />}
      <Spin spinning={s.loading}>
        {s.results && s.results.hits.length === 0 && <Empty description={t('search.none')} />}
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))', gap: 12 }}>
          {s.results?.hits.map((h, i) => (
            <Card
              key={`${h.deviceId}-${h.atMs}-${i}`}
              size="small"
              data-testid="search-hit"
              cover={
                h.crop ? (
                  <img src={h.crop} alt="" style={{ height: 160, objectFit: 'contain', background: '#111' }} />
                ) : (
                  <div
                    style={{ height: 160, display: 'grid', placeItems: 'center', background: '#222', color: '#aaa' }}
                  >
                    {t('search.imageGone')}
                  </div>
                )
              }
            >
              <div>{formatDateTime(h.atMs)}</div>
              <Typography.Text ellipsis title={h.deviceId} data-testid="search-hit-camera">
                {(h.channelRef && names.get(h.channelRef)) || h.deviceId}
              </Typography.Text>
              {h.similarity !== null && (
                <div data-testid="search-similarity">
                  {t('search.similarityValue', { value: Math.round(h.similarity * 100) })}
                </div>
              )}
              <div>
                {h.attributes.map((a) => (
                  <Tag key={a.key}>
                    {a.key}={a.value}
                  </Tag>
                ))}
              </div>
              {h.channelRef && accountId && (
                <Button
                  size="small"
                  icon={<PlayCircleOutlined />}
                  style={{ marginTop: 6 }}
                  data-testid="search-hit-playback"
                  // From a little before the moment, as an alarm's recording opens.
                  onClick={() =>
                    replayOnPage(
                      {
                        accountId,
                        channelId: h.channelRef!,
                        name: names.get(h.channelRef!) ?? h.deviceId,
                      },
                      h.atMs - 10_000,
                    )
                  }
                >
                  {t('search.playback')}
                </Button>
              )}
            </Card>
          ))}
        </div>
      </Spin>
      {s.results && s.results.total > PAGE_SIZE && s.query && (
        <Pagination
          current={s.page}
          pageSize={PAGE_SIZE}
          total={Math.min(s.results.total, 100 * PAGE_SIZE)}
          showSizeChanger={false}
          onChange={(p) => void s.search(s.query!, p)}
          showTotal={(n) => t('search.total', { n: s.results?.total ?? n })}
        />
      )}
    </div>
  );
}
