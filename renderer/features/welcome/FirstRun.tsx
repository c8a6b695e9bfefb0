import { Card, Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PlatformId } from '../../../preload/contract';
import { platformIds } from '../accounts/platformFields';

/** Shown while there is no account: pick a platform to add the first one. */
export function FirstRun({ onChoose }: { onChoose(platform: PlatformId): void }) {
  const { t } = useTranslation();
  return (
    <div style={{ maxWidth: 880, margin: '48px auto', padding: 16 }} data-testid="first-run">
      <Typography.Title level={2}>{t('firstRun.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('firstRun.intro')}</Typography.Paragraph>
      <Typography.Title level={5}>{t('firstRun.choose')}</Typography.Title>
      <Row gutter={[16, 16]}>
        {platformIds.map((p) => (
          <Col span={12} key={p}>
            <Card
              hoverable
              onClick={() => onChoose(p)}
              data-testid={`first-run-${p}`}
              role="button"
              tabIndex={0}
              onKeyDown={(e) => e.key === 'Enter' && onChoose(p)}
            >
              <Card.Meta title={t(`platform.${p}`)} description={t(`platformHint.${p}`)} />
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}
