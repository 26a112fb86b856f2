import { Badge, Group } from '@mantine/core';
import { t } from '../../i18n';
import { STATUS_COLOR, type StudentStatus, statusText } from './format';

/** Where a student stands with an assignment, and whether what they handed in last came late. */
export function StatusBadges({ status, late, size = 'sm' }: { status: StudentStatus; late: boolean; size?: 'sm' | 'lg' }) {
  return (
    <Group gap={4}>
      <Badge color={STATUS_COLOR[status]} variant="light" size={size} data-testid="assignment-status">
        {statusText(status)}
      </Badge>
      {late ? (
        <Badge color="orange" variant="outline" size={size}>
          {t('assignments.lateBadge')}
        </Badge>
      ) : null}
    </Group>
  );
}
