import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';
import { type CatalogConfig, CatalogPage } from './catalog';

type Room = ResponseOf<'/api/rooms', 'post', 201>;

const rooms: CatalogConfig<Room> = {
  prefix: 'rooms',
  fields: [
    { name: 'name', label: 'rooms.name', required: true, read: (r) => r.name },
    { name: 'capacity', label: 'rooms.capacity', type: 'number', read: (r) => (r.capacity === null ? '' : String(r.capacity)) },
  ],
  list: (query) => unwrap(api.GET('/api/rooms', { params: { query } })),
  create: ({ name = '', capacity }) => unwrap(api.POST('/api/rooms', { body: { name, ...(capacity ? { capacity: Number(capacity) } : {}) } })),
  update: (id, { name, capacity }) =>
    unwrap(api.PATCH('/api/rooms/{id}', { params: { path: { id } }, body: { ...(name ? { name } : {}), capacity: capacity ? Number(capacity) : null } })),
  remove: (id) => unwrap(api.DELETE('/api/rooms/{id}', { params: { path: { id } } })),
};

export function RoomsPage() {
  return <CatalogPage config={rooms} />;
}
