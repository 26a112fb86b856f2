import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n';

/** A record picked by name: the id is sent, the name shown. */
export interface NamedRecord {
  id: string;
  name: string;
}

export type RecordKind = 'teacher' | 'subject' | 'room';

const FOUND = 20;

/** The first records of a kind whose name matches `q`, searched on the server (a school may have hundreds). */
function searchRecords(kind: RecordKind, q: string): Promise<{ items: NamedRecord[] }> {
  const query = { limit: FOUND, ...(q ? { q } : {}) };
  if (kind === 'teacher') return unwrap(api.GET('/api/users', { params: { query: { ...query, role: 'teacher', isActive: true } } }));
  if (kind === 'subject') return unwrap(api.GET('/api/subjects', { params: { query } }));
  return unwrap(api.GET('/api/rooms', { params: { query } }));
}

interface RecordSelectProps {
  kind: RecordKind;
  value: NamedRecord | null;
  onChange: (record: NamedRecord | null) => void;
  label?: string;
  /** The accessible name where no label is shown (a table cell). */
  ariaLabel?: string;
  required?: boolean;
  clearable?: boolean;
  /** Shown while nothing is chosen, such as "No room". */
  placeholder?: string;
  error?: string;
}

/**
 * A searchable select of teachers, subjects or rooms that asks the server as one types, and only
 * once opened: a curriculum of thirty rows does not load ninety lists on arrival.
 */
export function RecordSelect({ kind, value, onChange, label, ariaLabel, required, clearable, placeholder, error }: RecordSelectProps) {
  const [opened, setOpened] = useState(false);
  const [search, setSearch] = useState(value?.name ?? '');
  // The chosen name in the box is no search: opening shows every record again.
  const [q] = useDebouncedValue(search === value?.name ? '' : search.trim(), 250);
  const found = useQuery({
    queryKey: ['record-options', kind, q],
    queryFn: () => searchRecords(kind, q),
    enabled: opened,
    placeholderData: keepPreviousData,
  });
  const records = [...(value ? [value] : []), ...(found.data?.items ?? []).filter((record) => record.id !== value?.id)];

  return (
    <Select
      label={label}
      aria-label={ariaLabel}
      required={required}
      clearable={clearable}
      placeholder={placeholder}
      error={error}
      searchable
      filter={({ options }) => options}
      searchValue={search}
      onSearchChange={setSearch}
      onDropdownOpen={() => setOpened(true)}
      data={records.map((record) => ({ value: record.id, label: record.name }))}
      value={value?.id ?? null}
      onChange={(id) => onChange(records.find((record) => record.id === id) ?? null)}
      nothingFoundMessage={found.isFetching ? t('app.loading') : t('records.nothingFound')}
    />
  );
}
