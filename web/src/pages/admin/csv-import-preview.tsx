import { Badge, Checkbox, Group, List, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { ResponseOf } from '../../api/types';
import { hasMessage, t } from '../../i18n';
import { ListPagination } from '../list-pagination';
import { ScrollTable } from '../scroll-table';

export type ImportPreview = ResponseOf<'/api/users/import', 'post', 200>;
type PreviewRow = ImportPreview['rows'][number];

/** A file may hold 2,000 rows: the table shows them a page at a time. */
const PAGE_SIZE = 50;

/** The column a server error names, in the reader's words ("Date of birth" for dateOfBirth); an unknown one as it is. */
function fieldLabel(field: string): string {
  const key = `users.import.field.${field}`;
  return hasMessage(key) ? t(key) : field;
}

/** A row's role as the app names it; a role the server refused ("janitor") as written. */
function roleLabel(role: string | null): string {
  const key = `role.${role}`;
  return hasMessage(key) ? t(key) : (role ?? '—');
}

function RowErrors({ row }: { row: PreviewRow }) {
  if (row.errors.length === 0) {
    return (
      <Badge color="green" variant="light">
        {t('users.import.rowReady')}
      </Badge>
    );
  }
  return (
    <List size="sm" c="red.9">
      {row.errors.map((error, index) => (
        <List.Item key={index}>{t('users.import.rowError', { field: fieldLabel(error.field), message: error.message })}</List.Item>
      ))}
    </List>
  );
}

/**
 * What a CSV would import, row by row, before anything is written (the server's dry run): the
 * counts, and each row with its errors in words. While any row has errors the rows with errors are
 * shown first-hand (the valid ones one tick away), since those are what the person has to fix.
 */
export function CsvImportPreview({ preview }: { preview: ImportPreview }) {
  const [onlyErrors, setOnlyErrors] = useState(preview.invalid > 0);
  const [page, setPage] = useState(1);
  const rows = onlyErrors ? preview.rows.filter((row) => row.errors.length > 0) : preview.rows;
  const shown = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  return (
    <Stack gap="sm">
      <Text role="status" fw={500} c={preview.invalid > 0 ? 'red.9' : undefined}>
        {preview.invalid > 0
          ? t('users.import.summaryErrors', { total: preview.total, invalid: preview.invalid })
          : t('users.import.summaryReady', { created: preview.created, linked: preview.linked })}
      </Text>
      {preview.invalid > 0 && (
        <Group>
          <Checkbox
            label={t('users.import.onlyErrors')}
            checked={onlyErrors}
            onChange={(event) => {
              setOnlyErrors(event.currentTarget.checked);
              setPage(1);
            }}
          />
        </Group>
      )}
      <ScrollTable
        label={t('users.import.tableLabel')}
        minWidth={560}
        columns={[t('users.import.row'), t('users.username'), t('users.name'), t('users.role'), t('users.import.result')]}
      >
        {shown.map((row) => (
          <Table.Tr key={row.row} data-row={row.row}>
            <Table.Td>{row.row}</Table.Td>
            <Table.Td>{row.username ?? '—'}</Table.Td>
            <Table.Td>
              {row.name ?? '—'}
              {row.guardianOf.length > 0 && (
                <Text size="sm" c="dimmed">
                  {t('users.import.guardianOf', { students: row.guardianOf.join(', ') })}
                </Text>
              )}
            </Table.Td>
            <Table.Td>{roleLabel(row.role)}</Table.Td>
            <Table.Td>
              <RowErrors row={row} />
            </Table.Td>
          </Table.Tr>
        ))}
      </ScrollTable>
      <ListPagination total={rows.length} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
    </Stack>
  );
}
