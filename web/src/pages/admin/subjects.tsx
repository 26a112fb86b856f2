import { ColorSwatch, Group } from '@mantine/core';
import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';
import { type CatalogConfig, CatalogPage } from './catalog';

type Subject = ResponseOf<'/api/subjects', 'post', 201>;

const subjects: CatalogConfig<Subject> = {
  prefix: 'subjects',
  fields: [
    { name: 'name', label: 'subjects.name', required: true, read: (s) => s.name },
    { name: 'code', label: 'subjects.code', read: (s) => s.code ?? '' },
    {
      name: 'color',
      label: 'subjects.color',
      description: 'subjects.colorHint',
      read: (s) => s.color ?? '',
      cell: (s) =>
        s.color ? (
          <Group gap="xs" wrap="nowrap">
            <ColorSwatch color={s.color} size={14} aria-hidden />
            {s.color}
          </Group>
        ) : null,
    },
  ],
  list: (query) => unwrap(api.GET('/api/subjects', { params: { query } })),
  create: ({ name = '', code, color }) => unwrap(api.POST('/api/subjects', { body: { name, ...(code ? { code } : {}), ...(color ? { color } : {}) } })),
  update: (id, { name, code, color }) =>
    unwrap(api.PATCH('/api/subjects/{id}', { params: { path: { id } }, body: { ...(name ? { name } : {}), code: code || null, color: color || null } })),
  remove: (id) => unwrap(api.DELETE('/api/subjects/{id}', { params: { path: { id } } })),
};

export function SubjectsPage() {
  return <CatalogPage config={subjects} />;
}
