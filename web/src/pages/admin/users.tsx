import { Badge, Button, Group, Modal, PasswordInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { BodyOf, UserView } from '../../api/types';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { ListPagination } from '../list-pagination';
import { QueryState } from '../query-state';

type UserRole = UserView['role'];
const ROLES: UserRole[] = ['teacher', 'student', 'guardian'];
const PAGE_SIZE = 25;

function isRole(value: string | null): value is UserRole {
  return ROLES.includes(value as UserRole);
}

export function UsersPage() {
  // Search, role and page live in the address: a reload or a shared link shows the same list.
  const [params, setParams] = useSearchParams();
  const role = isRole(params.get('role')) ? (params.get('role') as UserRole) : undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure();
  const [confirming, setConfirming] = useState<UserView | null>(null);
  const queryClient = useQueryClient();

  const query = { ...(q ? { q } : {}), ...(role ? { role } : {}), page, limit: PAGE_SIZE };
  const users = useQuery({
    queryKey: ['users', query],
    queryFn: () => unwrap(api.GET('/api/users', { params: { query } })),
    placeholderData: keepPreviousData,
  });

  function update(changes: Record<string, string | undefined>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  }

  const setActive = useMutation({
    mutationFn: ({ id, isActive }: { id: string; isActive: boolean }) => unwrap(api.PATCH('/api/users/{id}', { params: { path: { id } }, body: { isActive } })),
    onSuccess: () => {
      setConfirming(null);
      return queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('users.title')}</Title>
        <Button onClick={openCreate}>{t('users.create')}</Button>
      </Group>
      <Group align="end" grow preventGrowOverflow={false}>
        <TextInput
          label={t('users.search')}
          type="search"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            update({ q: e.currentTarget.value.trim() || undefined, page: undefined });
          }}
        />
        <Select
          label={t('users.filterRole')}
          data={[{ value: '', label: t('users.allRoles') }, ...ROLES.map((value) => ({ value, label: t(`role.${value}s`) }))]}
          value={role ?? ''}
          allowDeselect={false}
          onChange={(value) => update({ role: value || undefined, page: undefined })}
        />
      </Group>
      <FormError error={setActive.error} />
      <QueryState query={users}>
        {(list) =>
          list.items.length === 0 ? (
            <Text>{t('users.empty')}</Text>
          ) : (
            <>
              <Text size="sm" c="dimmed" role="status">
                {t('users.count', { total: list.total })}
              </Text>
              <Table.ScrollContainer minWidth={640}>
                <Table striped highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('users.name')}</Table.Th>
                      <Table.Th scope="col">{t('users.username')}</Table.Th>
                      <Table.Th scope="col">{t('users.role')}</Table.Th>
                      <Table.Th scope="col">{t('users.status')}</Table.Th>
                      <Table.Th scope="col">{t('users.actions')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.items.map((user) => (
                      <Table.Tr key={user.id}>
                        <Table.Td>{user.name}</Table.Td>
                        <Table.Td>{user.username}</Table.Td>
                        <Table.Td>{t(`role.${user.role}`)}</Table.Td>
                        <Table.Td>
                          <Badge color={user.isActive ? 'green' : 'gray'} variant="light">
                            {user.isActive ? t('users.active') : t('users.inactive')}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          {user.isActive ? (
                            <Button size="xs" variant="light" color="red" onClick={() => setConfirming(user)} aria-label={`${t('users.deactivate')} ${user.name}`}>
                              {t('users.deactivate')}
                            </Button>
                          ) : (
                            <Button
                              size="xs"
                              variant="light"
                              loading={setActive.isPending && setActive.variables?.id === user.id}
                              onClick={() => setActive.mutate({ id: user.id, isActive: true })}
                              aria-label={`${t('users.reactivate')} ${user.name}`}
                            >
                              {t('users.reactivate')}
                            </Button>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <ListPagination total={list.total} pageSize={PAGE_SIZE} page={page} onChange={(value) => update({ page: value > 1 ? String(value) : undefined })} />
            </>
          )
        }
      </QueryState>
      <Modal opened={creating} onClose={closeCreate} title={t('users.createTitle')}>
        <CreateUserForm
          defaultRole={role ?? 'teacher'}
          onCreated={() => {
            closeCreate();
            void queryClient.invalidateQueries({ queryKey: ['users'] });
          }}
        />
      </Modal>
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title={t('users.confirmDeactivateTitle', { name: confirming?.name ?? '' })}>
        <Stack>
          <Text>{t('users.confirmDeactivate', { name: confirming?.name ?? '' })}</Text>
          <FormError error={setActive.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(null)}>
              {t('users.cancel')}
            </Button>
            <Button color="red" loading={setActive.isPending} onClick={() => confirming && setActive.mutate({ id: confirming.id, isActive: false })}>
              {t('users.deactivate')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

type CreateUserBody = BodyOf<'/api/users', 'post'>;

function CreateUserForm({ defaultRole, onCreated }: { defaultRole: UserRole; onCreated: (user: UserView) => void }) {
  const [form, setForm] = useState({ name: '', username: '', role: defaultRole, email: '', password: '' });
  const create = useMutation({
    mutationFn: () => {
      const email = form.email.trim();
      const body: CreateUserBody = { name: form.name.trim(), username: form.username.trim(), role: form.role, password: form.password, ...(email ? { email } : {}) };
      return unwrap(api.POST('/api/users', { body }));
    },
    onSuccess: onCreated,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <form onSubmit={submit}>
      <Stack>
        <FormError error={create.error} />
        <TextInput label={t('users.name')} required value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} data-autofocus />
        <TextInput
          label={t('users.username')}
          description={t('signUp.usernameHint')}
          required
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.currentTarget.value })}
        />
        <Select
          label={t('users.role')}
          data={ROLES.map((value) => ({ value, label: t(`role.${value}`) }))}
          value={form.role}
          allowDeselect={false}
          onChange={(value) => isRole(value) && setForm({ ...form, role: value })}
        />
        <TextInput label={t('users.email')} type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.currentTarget.value })} />
        <PasswordInput
          label={t('users.password')}
          description={t('users.passwordHint')}
          required
          autoComplete="new-password"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
        />
        <Button type="submit" loading={create.isPending}>
          {t('users.createSubmit')}
        </Button>
      </Stack>
    </form>
  );
}
