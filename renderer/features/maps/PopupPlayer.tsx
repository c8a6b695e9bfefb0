import { Modal } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { SourceProvider } from '../../media/session/types';
import { VideoPane } from '../../media/view/VideoPane';
import { useMapsStore } from '../../stores/maps/store';
import { paneTranscoding } from '../../stores/transcode/store';
import { useLiveStore } from '../../stores/live/store';

/**
 * The pop-up player a map click opens (Map toolbar: Pop-up): the camera live in its main stream,
 * beside the plan and the wall, without taking a wall pane; a non-modal window the operator moves
 * on with the map (another click replaces its camera), closed by its button or Esc.
 */
export function PopupPlayer() {
  const { t } = useTranslation();
  const popup = useMapsStore((s) => s.popup);
  const close = useMapsStore((s) => s.closePopup);
  const channelSource = useLiveStore((s) => s.channelSource);
  const relayRate = useLiveStore((s) => s.relayRate);
  const provider = useMemo<SourceProvider | null>(
    () => (popup ? () => channelSource(popup, 'main') : null),
    [popup, channelSource],
  );
  return (
    <Modal
      open={!!popup}
      title={popup ? t('maps.popupTitle', { name: popup.name }) : ''}
      footer={null}
      mask={false}
      width={720}
      // Closed is stopped: the session unloads with its pane, nothing plays unseen.
      destroyOnHidden
      onCancel={close}
      wrapProps={{ 'data-testid': 'map-popup' }}
    >
      <div style={{ position: 'relative', aspectRatio: '16 / 9', background: '#000' }}>
        {popup && (
          <VideoPane
            key={`${popup.accountId}|${popup.channelId}`}
            provider={provider}
            title={popup.name}
            transcode={paneTranscoding}
            relayRate={relayRate}
            testId="map-popup-pane"
          />
        )}
      </div>
    </Modal>
  );
}
