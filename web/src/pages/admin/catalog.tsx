import { Button, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type MessageKey, t } from '../../i18n';
import { FormError } from '../form-error';
import { ListPagination } from '../list-pagination';
import { QueryState } from '../query-state';
import { ScrollTable } from '../scroll-table';

const PAGE_SIZE = 25;

/** The text keys a catalog page brings under its own prefix (`subjects.title`, `rooms.title`, ...). */
type CatalogKey = 'title' | 'create' | 'search' | 'empty' | 'createTitle' | 'editTitle' | 'confirmDeleteTitle' | 'confirmDelete';

export interface CatalogField<T> {
  name: string;
  label: MessageKey;
  required?: boolean;
  type?: 'text' | 'number';
  description?: MessageKey;
  /** The field's value of a record as the form shows it ('' for none). */
  read: (item: T) => string;
  /** How the table cell shows it; `read` by default. */
  cell?: (item: T) => React.ReactNode;
}

/** Form values by field name, as typed ('' for an empty optional field). */
export type CatalogValues = Record<string, string>;

export interface CatalogConfig<T extends { id: string; name: string }> {
  prefix: 'subjects' | 'rooms';
  fields: CatalogField<T>[];
  list: (query: { q?: string; page: number; limit: number }) => Promise<{ items: T[]; total: number }>;
  create: (values: CatalogValues) => Promise<unknown>;
  update: (id: string, values: CatalogValues) => Promise<unknown>;
  remove: (id: string) => Promise<unknown>;
}

/**
 * A list of named records an admin keeps (subjects, rooms): search, pages, add, edit and delete
 * behind a confirmation; a delete refused because something still uses the record (409 IN_USE) is
 * said with its counts by FormError.
 */
export function CatalogPage<T extends { id: string; name: string }>({ config }: { config: CatalogConfig<T> }) {
  const key = (name: CatalogKey) => `${config.prefix}.${name}` as const;
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [deleting, setDeleting] = useState<T | null>(null);
  const queryClient = useQueryClient();

  const query = { ...(q ? { q } : {}), page, limit: PAGE_SIZE };
  const list = useQuery({ queryKey: [config.prefix, query], queryFn: () => config.list(query), placeholderData: keepPreviousData });
  const refresh = () => queryClient.invalidateQueries({ queryKey: [config.prefix] });

  const remove = useMutation({
    mutationFn: (item: T) => config.remove(item.id),
    onSuccess: () => {
      setDeleting(null);
      return refresh();
    },
  });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t(key('title'))}</Title>
        <Button onClick={() => setEditing('new')}>{t(key('create'))}</Button>
      </Group>
      <TextInput
        label={t(key('search'))}
        type="search"
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          setPage(1);
        }}
      />
      <QueryState query={list}>
        {(data) =>
          data.items.length === 0 ? (
            <Text>{t(key('empty'))}</Text>
          ) : (
            <>
              <ScrollTable
                label={t(key('title'))}
                minWidth={480}
                highlightOnHover
                columns={[...config.fields.map((field) => t(field.label)), t('catalog.actions')]}
              >
                {data.items.map((item) => (
                  <Table.Tr key={item.id}>
                    {config.fields.map((field) => (
                      <Table.Td key={field.name}>{field.cell ? field.cell(item) : field.read(item)}</Table.Td>
                    ))}
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" variant="light" onClick={() => setEditing(item)} aria-label={`${t('catalog.edit')} ${item.name}`}>
                          {t('catalog.edit')}
                        </Button>
                        <Button
                          size="xs"
                          variant="light"
                          color="red"
                          onClick={() => {
                            remove.reset();
                            setDeleting(item);
                          }}
                          aria-label={`${t('catalog.delete')} ${item.name}`}
                        >
                          {t('catalog.delete')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </ScrollTable>
              <ListPagination total={data.total} pageSize={PAGE_SIZE} page={page} onChange={setPage} />
            </>
          )
        }
      </QueryState>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t(key('createTitle')) : t(key('editTitle'), { name: editing?.name ?? '' })}
        closeButtonProps={{ 'aria-label': t('catalog.close') }}
      >
        {editing !== null ? (
          <CatalogForm
            config={config}
            item={editing === 'new' ? null : editing}
            onSaved={() => {
              setEditing(null);
              void refresh();
            }}
          />
        ) : null}
      </Modal>
      <Modal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t(key('confirmDeleteTitle'), { name: deleting?.name ?? '' })}
        closeButtonProps={{ 'aria-label': t('catalog.close') }}
      >
        <Stack>
          <Text>{t(key('confirmDelete'), { name: deleting?.name ?? '' })}</Text>
          <FormError error={remove.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              {t('catalog.cancel')}
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => deleting && remove.mutate(deleting)}>
              {t('catalog.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function CatalogForm<T extends { id: string; name: string }>({ config, item, onSaved }: { config: CatalogConfig<T>; item: T | null; onSaved: () => void }) {
  const [values, setValues] = useState<CatalogValues>(() => Object.fromEntries(config.fields.map((field) => [field.name, item ? field.read(item) : ''])));
  const save = useMutation({
    mutationFn: () => {
      const trimmed = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value.trim()]));
      return item ? config.update(item.id, trimmed) : config.create(trimmed);
    },
    onSuccess: onSaved,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <form onSubmit={submit}>
      <Stack>
        <FormError error={save.error} />
        {config.fields.map((field, index) => (
          <TextInput
            key={field.name}
            label={t(field.label)}
            description={field.description ? t(field.description) : undefined}
            required={field.required}
            type={field.type ?? 'text'}
            value={values[field.name]}
            onChange={(e) => setValues({ ...values, [field.name]: e.currentTarget.value })}
            data-autofocus={index === 0 ? true : undefined}
          />
        ))}
        <Button type="submit" loading={save.isPending}>
          {t('catalog.save')}
        </Button>
      </Stack>
    </form>
  );
}

