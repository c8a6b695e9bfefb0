import { Alert, Button, Modal, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download, snapshotName } from '../../media/view/snapshot';
import { cameraSnapshot } from '../../stores/wall/actions';

/**
 * A picture the camera takes now through its platform (full sensor resolution, no player
 * artefacts), shown before it is saved. Platforms that cannot say so in words.
 */
export function CameraSnapshot({
  target,
  onClose,
}: {
  target: { accountId: string; channelId: string; name: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [shot, setShot] = useState<{ picture: string; takenAt: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setShot(null);
    setError(null);
    if (!target) return;
    let live = true;
    cameraSnapshot({ accountId: target.accountId, channelId: target.channelId }).then(
      (s) => live && setShot(s),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [target]);
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
