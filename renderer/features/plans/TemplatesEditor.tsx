import { Alert, Button, Input, Popconfirm, Select, Space } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanKind } from '../../../preload/contract';
import { WeekGrid } from './WeekGrid';
import { copyDay, emptyGrid, gridToSections, sectionsToGrid, type Grid } from '../../model/week';
import {
  EMPTY_TEMPLATES_VIEW,
  templatesViewKey,
  useTemplatesStore,
  type PlanTemplate as Template,
} from '../../stores/plans/templates';
import { themed } from '../common/theme-vars';

/**
 * Tencent IVC templates (named weekly schedules that plans bind channels to): pick one or start
 * a new one, paint its week, save; the list is re-read after every change. Real-time templates
 * say when to record; upload templates say when to upload, which of the device's recordings,
 * and how fast (E59: a day's upload windows must last its recording sections ÷ speed, else 43408).
 */
export function TemplatesEditor({ accountId, kind = 'realtime' }: { accountId: string; kind?: PlanKind }) {
  const { t } = useTranslation();
  const { templates, error, saved } =
    useTemplatesStore((s) => s.views[templatesViewKey(accountId, kind)]) ?? EMPTY_TEMPLATES_VIEW;
  const store = useTemplatesStore.getState;
  const [id, setId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [grid, setGrid] = useState<Grid>(emptyGrid());
  const [devGrid, setDevGrid] = useState<Grid>(emptyGrid());
  const [scale, setScale] = useState<1 | 2 | 4>(1);

  const pick = useCallback((list: Template[], chosen: string | null) => {
    const tpl = list.find((x) => x.id === chosen) ?? null;
    setId(tpl?.id ?? null);
    setName(tpl?.name ?? '');
    setGrid(tpl ? sectionsToGrid(tpl.sections) : emptyGrid());
    setDevGrid(tpl?.devSections ? sectionsToGrid(tpl.devSections) : emptyGrid());
    setScale(tpl?.scale === 2 || tpl?.scale === 4 ? tpl.scale : 1);
  }, []);
  useEffect(() => {
    void useTemplatesStore
      .getState()
      .load(accountId, kind)
      .then((list) => pick(list, list[0]?.id ?? null));
  }, [accountId, kind, pick]);

  const nameProblem = name && !/^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u.test(name) ? t('validation.name32') : null;
  const sections = gridToSections(grid);
  const devSections = gridToSections(devGrid);
  const upload = kind === 'upload';
  /** After a stored change, the editor shows the template the change left chosen. */
  const then = (keep: (list: Template[]) => string | null) => (list: Template[] | null) => {
    if (list) pick(list, keep(list));
  };
  return (
    <div data-testid="templates-editor">
      <p style={{ opacity: 0.75 }}>{t(upload ? 'plans.uploadTemplatesHelp' : 'plans.templatesHelp')}</p>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 220 }}
          value={id ?? '__new'}
          onChange={(v: string) => pick(templates, v === '__new' ? null : v)}
          options={[
            { value: '__new', label: t('plans.newTemplate') },
            ...templates.map((x) => ({ value: x.id, label: x.name })),
          ]}
          data-testid="template-pick"
        />
        <Input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder={t('plans.templateName')}
          status={nameProblem ? 'error' : ''}
          style={{ width: 200 }}
          data-testid="template-name"
        />
        {nameProblem && <span style={{ color: themed.errorText, fontSize: 12 }}>{nameProblem}</span>}
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} data-testid="template-error" />}
      {saved && (
        <Alert
          type="success"
          showIcon
          title={t('plans.templateSaved')}
          style={{ marginBottom: 8 }}
          data-testid="template-saved"
        />
      )}
      {upload && <div style={{ margin: '4px 0' }}>{t('plans.uploadWindows')}</div>}
      <div data-testid="template-grid">
        <WeekGrid grid={grid} onChange={setGrid} />
      </div>
      <GridTools grid={grid} onChange={setGrid} testId="template" />
      {upload && (
        <>
          <div style={{ margin: '12px 0 4px' }}>{t('plans.deviceRecordings')}</div>
          <div data-testid="template-dev-grid">
            <WeekGrid grid={devGrid} onChange={setDevGrid} />
          </div>
          <GridTools grid={devGrid} onChange={setDevGrid} testId="template-dev" />
          <Space style={{ marginTop: 8 }}>
            {t('plans.uploadSpeed')}:
            <Select<1 | 2 | 4>
              value={scale}
              onChange={setScale}
              options={[1, 2, 4].map((x) => ({ value: x as 1 | 2 | 4, label: `${x}×` }))}
              style={{ width: 80 }}
              data-testid="template-scale"
            />
          </Space>
        </>
      )}
      <Space wrap style={{ marginTop: 12 }}>
        <Button
          type="primary"
          disabled={!name || Boolean(nameProblem) || sections.length === 0 || (upload && devSections.length === 0)}
          onClick={() =>
            void store()
              .save(accountId, kind, {
                ...(id ? { id } : {}),
                name,
                sections,
                ...(upload ? { devSections, scale } : {}),
              })
              .then(then((list) => list.find((x) => x.name === name)?.id ?? null))
          }
          data-testid="template-save"
        >
          {t('common.save')}
        </Button>
        {id && (
          <Popconfirm
            title={t('plans.deleteTemplate', { name })}
            onConfirm={() =>
              void store()
                .remove(accountId, kind, id)
                .then(then((list) => list[0]?.id ?? null))
            }
            okButtonProps={{ danger: true }}
          >
            <Button danger>{t('common.remove')}</Button>
          </Popconfirm>
        )}
      </Space>
    </div>
  );
}

/** Bulk edits under a week grid, for that grid (an upload template has two: the buttons sat under the second and changed the first). */
function GridTools({ grid, onChange, testId }: { grid: Grid; onChange: (g: Grid) => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <Space wrap style={{ marginTop: 8 }}>
      <Button onClick={() => onChange(emptyGrid().map((d) => d.map(() => true)))}>{t('plans.allDay')}</Button>
      <Button onClick={() => onChange(emptyGrid())} data-testid={`${testId}-clear`}>
        {t('plans.clearGrid')}
      </Button>
      <Button onClick={() => onChange(copyDay(grid, 0, [1, 2, 3, 4]))} data-testid={`${testId}-copy-monday`}>
        {t('plans.copyMonday')}
      </Button>
    </Space>
  );
}
