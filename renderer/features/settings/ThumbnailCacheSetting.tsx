import { Button, InputNumber, Space } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../stores/app/store';
import { selectSettingsPage } from '../../stores/app/selectors';
import { selectThumbCache } from '../../stores/thumbnails/selectors';
import { useThumbnailsStore } from '../../stores/thumbnails/store';

/** The timeline picture cache's bound (MB; empty: the default) and what it holds now, with a Clear button. */
export function ThumbnailCacheSetting() {
  const { t } = useTranslation();
  const { preferences, setPreferences } = useAppStore(useShallow(selectSettingsPage));
  const { cache, cacheError, loadCache, clearCache } = useThumbnailsStore(useShallow(selectThumbCache));
  useEffect(() => void loadCache(), [loadCache, preferences.thumbnailCacheMb]);
  return (
    <>
      <Space>
        <InputNumber
          min={10}
          max={100_000}
          step={50}
          precision={0}
          value={preferences.thumbnailCacheMb ?? null}
          placeholder="200"
          addonAfter="MB"
          style={{ width: 160 }}
          onChange={(v) => void setPreferences({ thumbnailCacheMb: typeof v === 'number' ? v : null })}
          data-testid="settings-thumbnail-cache"
        />
        <span data-testid="settings-thumbnail-cache-used" style={{ fontSize: 12, opacity: 0.8 }}>
          {cacheError ??
            (cache
              ? t('settings.thumbnailCacheUsed', { mb: (cache.bytes / 1048576).toFixed(1), count: cache.entries })
              : '…')}
        </span>
        <Button size="small" onClick={() => void clearCache()} data-testid="settings-thumbnail-cache-clear">
          {t('settings.thumbnailCacheClear')}
        </Button>
      </Space>
      <div style={{ fontSize: 12, opacity: 0.7, marginTop: 4 }}>{t('settings.thumbnailCacheHint')}</div>
    </>
  );
}
