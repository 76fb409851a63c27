/**
 * The Edit and Remove buttons of a row in an administration table: one
 * place for the buttons, the confirmation and their test ids
 * (`<prefix>-edit-<id>`, `<prefix>-remove-<id>`). No Remove when `onRemove`
 * is absent (a built-in row).
 */
import { Button, Popconfirm, Space } from 'antd';
import { useI18n } from '../../i18n/i18n-context.tsx';

export function RowActions({ id, testPrefix, confirm, onEdit, onRemove }: { id: string; testPrefix: string; confirm: string; onEdit(): void; onRemove?: () => void }) {
  const { t } = useI18n();
  return (
    <Space size={4}>
      <Button size="small" data-testid={`${testPrefix}-edit-${id}`} onClick={onEdit}>
        {t('adminAgents.edit')}
      </Button>
      {onRemove && (
        <Popconfirm title={confirm} okText={t('common.remove')} cancelText={t('common.cancel')} onConfirm={onRemove}>
          <Button danger size="small" data-testid={`${testPrefix}-remove-${id}`}>
            {t('common.remove')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}
