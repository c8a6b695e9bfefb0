import { Alert, Button, Modal, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { download, snapshotName } from '../../media/view/snapshot';
import { useShallow } from 'zustand/react/shallow';
import { selectCameraShot } from '../../stores/live/selectors';
import { useLiveStore } from '../../stores/live/store';

/**
 * A picture the camera takes now through its platform (full sensor resolution, no player
 * artefacts), shown before it is saved. Platforms that cannot say so in words. One dialog for the
 * wall: a pane's menu asks the live store for the picture, this shows what it answered.
 */
export function CameraSnapshot() {
  const { t } = useTranslation();
  const { cameraShot, close: onClose } = useLiveStore(useShallow(selectCameraShot));
  const target = cameraShot?.target ?? null;
  const shot = cameraShot?.shot ?? null;
  const error = cameraShot?.error ?? null;
  const ext = shot?.picture.startsWith('data:image/png') ? 'png' : 'jpg';
  return (
    <Modal
      open={!!target}
      title={t(error ? 'wall.cameraSnapshotFailed' : 'wall.cameraSnapshotTitle', { name: target?.name ?? '' })}
      onCancel={onClose}
      width={720}
      footer={[
        <Button key="close" onClick={onClose}>
          {t('common.close')}
        </Button>,
        <Button
          key="save"
          type="primary"
          disabled={!shot}
          data-testid="camera-snapshot-save"
          onClick={() =>
            shot && target && download(shot.picture, snapshotName(target.name, new Date(shot.takenAt), ext, '_camera'))
          }
        >
          {t('wall.cameraSnapshotSave')}
        </Button>,
      ]}
    >
      {error && <Alert type="warning" showIcon message={error} data-testid="camera-snapshot-error" />}
      {!error && !shot && <Spin />}
      {shot && (
        <img
          src={shot.picture}
          alt={target?.name}
          data-testid="camera-snapshot"
          style={{ maxWidth: '100%', imageRendering: 'auto' }}
        />
      )}
    </Modal>
  );
}
