import { CloseOutlined } from '@ant-design/icons';
import { Alert, Button, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePtzEditorStore } from '../../stores/ptz/store';
import { CruisePanel } from './CruisePanel';
import { PresetsPanel } from './PresetsPanel';
import { useShallow } from 'zustand/react/shallow';
import { selectEditor } from '../../stores/ptz/selectors';
import { themed } from '../common/theme-vars';

/**
 * The PTZ editor, beside the wall so the channel's live video stays in view: presets and
 * cruise tracks of one channel. Opened from the PTZ pad or a pane's menu.
 */
export function PtzEditor() {
  const { t } = useTranslation();
  const { target, error, close, clearError } = usePtzEditorStore(useShallow(selectEditor));
  if (!target) return null;
  return (
    <aside
      style={{
        width: 440,
        flexShrink: 0,
        borderLeft: `1px solid ${themed.border}`,
        display: 'flex',
        flexDirection: 'column',
        minHeight: 0,
      }}
      data-testid="ptz-editor"
      aria-label={t('ptzEditor.title')}
    >
      <div
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 8,
          padding: '8px 12px',
          borderBottom: `1px solid ${themed.border}`,
        }}
      >
        <strong style={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          {t('ptzEditor.title')} · {target.name}
        </strong>
        <Button
          size="small"
          type="text"
          icon={<CloseOutlined />}
          onClick={close}
          aria-label={t('common.close')}
          data-testid="ptz-editor-close"
        />
      </div>
      {error && (
        // The platform's own code and message, verbatim, with the English explanation main adds.
        <Alert
          type="error"
          showIcon
          closable={{ onClose: clearError }}
          style={{ margin: 8 }}
          title={error.message}
          data-testid="ptz-editor-error"
        />
      )}
      <Tabs
        style={{ flex: 1, minHeight: 0, overflow: 'auto', padding: '0 12px' }}
        items={[
          { key: 'presets', label: t('ptzEditor.presets'), children: <PresetsPanel /> },
          { key: 'cruise', label: t('ptzEditor.cruise'), children: <CruisePanel />, forceRender: true },
        ]}
        data-testid="ptz-editor-tabs"
      />
    </aside>
  );
}
