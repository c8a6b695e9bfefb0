import { Alert, Button, Drawer, Input, Popconfirm, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttributeKey, Target } from '../../../preload/contract';
import { useTargetsStore } from '../../stores/targets/store';
import { checkAttributes } from '../../model/target-import';
import { checkPicture, type PictureCheck } from '../../model/target-pictures';
import { useShallow } from 'zustand/react/shallow';
import { selectTargetForm } from '../../stores/targets/selectors';
import { FilePicker } from '../common/FilePicker';
import { themed } from '../common/theme-vars';

/**
 * Add or edit one target: the attributes the device family keeps, and a face picture checked
 * against the documented limits before upload (with a preview and the reason a file is refused).
 * An edit without a new picture keeps the enrolled one.
 */
export function TargetForm({ target, open, onClose }: { target: Target | null; open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { library, accountId, deviceId, groupId, addTarget, updateTarget, deleteTargets } = useTargetsStore(
    useShallow(selectTargetForm),
  );
  const [fields, setFields] = useState<Record<string, string>>({});
  const [picture, setPicture] = useState<PictureCheck | null>(null);
  const [current, setCurrent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setFields(
      target
        ? Object.fromEntries(
            Object.entries(target)
              .filter(([k, v]) => k !== 'picture' && v !== undefined)
              .map(([k, v]) => [k, String(v)]),
          )
        : { gender: 'male' },
    );
    setPicture(null);
    setError(null);
    setCurrent(target?.picture ?? null);
    // Cameras (SDC) list no pictures: fetch the enrolled one for the preview.
    if (target && !target.picture)
      void useTargetsStore
        .getState()
        .picture(target.id)
        .then((p) => p && setCurrent(p));
  }, [open, target, accountId, deviceId, groupId]);

  if (!library) return null;
  const attributes = library.attributes;
  const checked = checkAttributes(fields, attributes);
  const needsPicture = !target && !picture?.base64;
  const valid = Object.keys(checked.problems).length === 0 && !needsPicture && !picture?.problem;

  const save = async () => {
    setBusy(true);
    setError(null);
    const r = target
      ? await updateTarget({
          ...checked.target,
          id: target.id,
          ...(picture?.base64 ? { picture: picture.base64 } : {}),
        })
      : await addTarget({ ...checked.target, picture: picture!.base64! });
    setBusy(false);
    if (r.ok) onClose();
    else setError(r.message ?? 'Failed');
  };

  const field = (key: string, label: string) => (
    <label key={key} style={{ display: 'block', marginBottom: 8 }}>
      <div style={{ fontSize: 12, opacity: 0.75 }}>{label}</div>
      <Input
        value={fields[key] ?? ''}
        onChange={(e) => setFields({ ...fields, [key]: e.target.value })}
        status={checked.problems[key] ? 'error' : ''}
        data-testid={`target-field-${key}`}
      />
      {checked.problems[key] && <div style={{ color: themed.errorText, fontSize: 12 }}>{checked.problems[key]}</div>}
    </label>
  );

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={420}
      title={target ? t('library.editTarget', { name: target.name ?? target.id }) : t('library.addTarget')}
      destroyOnHidden
      data-testid="target-form"
    >
      <div style={{ display: 'flex', gap: 12, marginBottom: 12, alignItems: 'flex-start' }}>
        <div
          style={{
            width: 96,
            height: 96,
            background: '#111',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            border: '1px dashed #444',
          }}
          title={t('library.dropPicture')}
          onDragOver={(e) => e.preventDefault()}
          onDrop={async (e) => {
            e.preventDefault();
            const file = e.dataTransfer.files[0];
            if (file) setPicture(await checkPicture(file, library.limits));
          }}
          data-testid="target-picture-drop"
        >
          {(picture?.preview ?? current) && (
            <img
              src={picture?.preview ?? current!}
              alt=""
              style={{ maxWidth: 96, maxHeight: 96 }}
              data-testid="target-picture-preview"
            />
          )}
        </div>
        <div style={{ flex: 1 }}>
          <FilePicker
            accept="image/png,image/jpeg"
            testId="target-picture-input"
            onFiles={async ([file]) => setPicture(await checkPicture(file!, library.limits))}
          />
          <div style={{ fontSize: 12, opacity: 0.65, marginTop: 4 }}>
            {t('library.pictureRules', {
              kb: Math.round(library.limits.maxImageBytes / 1024),
              px: library.limits.maxImageSide,
            })}
          </div>
          {picture?.problem && (
            <div style={{ color: themed.errorText, fontSize: 12 }} data-testid="target-picture-problem">
              {picture.fileName}: {picture.problem}
            </div>
          )}
        </div>
      </div>
      {field('name', t('library.attr.name'))}
      <label style={{ display: 'block', marginBottom: 8 }}>
        <div style={{ fontSize: 12, opacity: 0.75 }}>{t('library.attr.gender')}</div>
        <Select
          value={fields.gender}
          onChange={(gender: string) => setFields({ ...fields, gender })}
          options={[
            { value: 'male', label: t('library.male') },
            { value: 'female', label: t('library.female') },
          ]}
          style={{ width: '100%' }}
          data-testid="target-field-gender"
        />
      </label>
      {attributes.map((k: AttributeKey) => field(k, t(`library.attr.${k}`)))}
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} data-testid="target-form-error" />
      )}
      <Space>
        <Button
          type="primary"
          disabled={!valid || busy}
          loading={busy}
          onClick={() => void save()}
          data-testid="target-save"
        >
          {t('common.save')}
        </Button>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        {target && (
          <Popconfirm
            title={t('library.deleteTarget', { name: target.name ?? target.id })}
            okButtonProps={{ danger: true, 'data-testid': 'target-delete-ok' } as never}
            onConfirm={async () => {
              const [r] = await deleteTargets([target.id]);
              if (r?.ok) onClose();
              else setError(r?.message ?? 'Failed');
            }}
          >
            <Button danger data-testid="target-delete">
              {t('common.remove')}
            </Button>
          </Popconfirm>
        )}
      </Space>
    </Drawer>
  );
}
