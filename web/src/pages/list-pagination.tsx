import { Pagination } from '@mantine/core';
import { t } from '../i18n';

/** Page buttons under a list, shown only when it has more than one page. */
export function ListPagination({ total, pageSize, page, onChange }: { total: number; pageSize: number; page: number; onChange: (page: number) => void }) {
  if (total <= pageSize) return null;
  return (
    <Pagination
      total={Math.ceil(total / pageSize)}
      value={page}
      onChange={onChange}
      getControlProps={(control) => ({ 'aria-label': control === 'previous' ? t('users.previous') : control === 'next' ? t('users.next') : undefined })}
    />
  );
}
