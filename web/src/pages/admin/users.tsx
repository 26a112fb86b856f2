import { Alert, Badge, Button, Card, Group, Modal, PasswordInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, type QueryKey, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { BodyOf, UserView } from '../../api/types';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { ListPagination } from '../list-pagination';
import { QueryState } from '../query-state';
import { ScrollTable } from '../scroll-table';
import { CsvImportDialog } from './csv-import-dialog';

type UserRole = UserView['role'];
type UserList = { items: UserView[]; total: number };
type CreateUserBody = BodyOf<'/api/users', 'post'>;
type UpdateUserBody = BodyOf<'/api/users/{id}', 'patch'>;

const ROLES: UserRole[] = ['teacher', 'student', 'guardian'];
const PAGE_SIZE = 25;

function isRole(value: string | null): value is UserRole {
  return ROLES.includes(value as UserRole);
}

/** What the page is doing with one user: a dialog open on them. */
type Dialog = { kind: 'create' } | { kind: 'import' } | { kind: 'edit' | 'password' | 'deactivate' | 'reactivate'; user: UserView } | null;

export function UsersPage() {
  // Search, role and page live in the address: a reload or a shared link shows the same list.
  const [params, setParams] = useSearchParams();
  const role = isRole(params.get('role')) ? (params.get('role') as UserRole) : undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users'] });

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

  /** Done with a dialog: it closes, the page says what happened, and the lists are fetched again. */
  function done(message: string) {
    setDialog(null);
    setNotice(message);
    void refresh();
  }

  // Shown as changed at once; the lists are put back as they were when the server refuses.
  const setActive = useMutation({
    mutationFn: ({ user, isActive }: { user: UserView; isActive: boolean }) =>
      unwrap(api.PATCH('/api/users/{id}', { params: { path: { id: user.id } }, body: { isActive } })),
    onMutate: async ({ user, isActive }) => {
      setDialog(null);
      setNotice(null);
      await queryClient.cancelQueries({ queryKey: ['users'] });
      const before = queryClient.getQueriesData<UserList>({ queryKey: ['users'] });
      queryClient.setQueriesData<UserList>({ queryKey: ['users'] }, (list) =>
        list?.items ? { ...list, items: list.items.map((item) => (item.id === user.id ? { ...item, isActive } : item)) } : list,
      );
      return { before };
    },
    onError: (_error, _variables, context) => {
      for (const [key, data] of context?.before ?? ([] as [QueryKey, UserList | undefined][])) queryClient.setQueryData(key, data);
    },
    onSuccess: (user, { isActive }) => setNotice(t(isActive ? 'users.reactivated' : 'users.deactivated', { name: user.name })),
    onSettled: refresh,
  });

  const opened = (kind: NonNullable<Dialog>['kind']) => dialog?.kind === kind;
  const dialogUser = dialog && 'user' in dialog ? dialog.user : null;
  const close = () => setDialog(null);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('users.title')}</Title>
        <Group gap="xs">
          <Button variant="light" onClick={() => setDialog({ kind: 'import' })}>
            {t('users.import.open')}
          </Button>
          <Button onClick={() => setDialog({ kind: 'create' })}>{t('users.create')}</Button>
        </Group>
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
      {notice && (
        <Alert color="green" variant="light" role="status" withCloseButton closeButtonLabel={t('users.close')} onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      <FormError error={setActive.error} />
      <QueryState query={users}>
        {(list) =>
          list.items.length === 0 ? (
            <Text>{t('users.empty')}</Text>
          ) : (
            <>
              <Text size="sm" c="dimmed" role="status">
                {t(list.total === 1 ? 'users.count.one' : 'users.count.other', { total: list.total })}
              </Text>
              <ScrollTable
                label={t('users.tableLabel')}
                minWidth={760}
                visibleFrom="sm"
                highlightOnHover
                columns={[t('users.name'), t('users.username'), t('users.role'), t('users.status'), t('users.actions')]}
              >
                {list.items.map((user) => (
                  <Table.Tr key={user.id}>
                    <Table.Td>{user.name}</Table.Td>
                    <Table.Td>{user.username}</Table.Td>
                    <Table.Td>{t(`role.${user.role}`)}</Table.Td>
                    <Table.Td>
                      <StatusBadge user={user} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <UserActions user={user} onOpen={setDialog} />
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </ScrollTable>
              {/* On a phone each user is a card, its actions in reach without scrolling sideways. */}
              <Stack hiddenFrom="sm" gap="xs" component="ul" aria-label={t('users.tableLabel')} p={0} m={0} style={{ listStyle: 'none' }}>
                {list.items.map((user) => (
                  <Card key={user.id} withBorder component="li" padding="sm">
                    <Group justify="space-between" wrap="nowrap" align="start">
                      <div>
                        <Text fw={500}>{user.name}</Text>
                        <Text size="sm" c="dimmed">
                          {user.username} · {t(`role.${user.role}`)}
                        </Text>
                      </div>
                      <StatusBadge user={user} />
                    </Group>
                    <Group gap="xs" mt="xs">
                      <UserActions user={user} onOpen={setDialog} />
                    </Group>
                  </Card>
                ))}
              </Stack>
              <ListPagination total={list.total} pageSize={PAGE_SIZE} page={page} onChange={(value) => update({ page: value > 1 ? String(value) : undefined })} />
            </>
          )
        }
      </QueryState>

      <Modal opened={opened('create')} onClose={close} title={t('users.createTitle')}>
        <CreateUserForm defaultRole={role ?? 'teacher'} onCreated={(user) => done(t('users.created', { name: user.name }))} />
      </Modal>
      <Modal opened={opened('edit')} onClose={close} title={t('users.editTitle', { name: dialogUser?.name ?? '' })}>
        {dialogUser && <EditUserForm user={dialogUser} onSaved={(user) => done(t('users.saved', { name: user.name }))} onCancel={close} />}
      </Modal>
      <Modal opened={opened('password')} onClose={close} title={t('users.resetPasswordTitle', { name: dialogUser?.name ?? '' })}>
        {dialogUser && <ResetPasswordForm user={dialogUser} onReset={(user) => done(t('users.passwordReset', { name: user.name }))} onCancel={close} />}
      </Modal>
      <Modal
        opened={opened('deactivate') || opened('reactivate')}
        onClose={close}
        title={t(opened('deactivate') ? 'users.confirmDeactivateTitle' : 'users.confirmReactivateTitle', { name: dialogUser?.name ?? '' })}
      >
        {dialogUser && (
          <Stack>
            <Text>{t(opened('deactivate') ? 'users.confirmDeactivate' : 'users.confirmReactivate', { name: dialogUser.name })}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('users.cancel')}
              </Button>
              <Button color={opened('deactivate') ? 'red' : undefined} onClick={() => setActive.mutate({ user: dialogUser, isActive: opened('reactivate') })}>
                {t(opened('deactivate') ? 'users.deactivate' : 'users.reactivate')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <CsvImportDialog opened={opened('import')} onClose={close} onImported={(result) => done(t('users.import.done', { created: result.created, linked: result.linked }))} />
    </Stack>
  );
}

function StatusBadge({ user }: { user: UserView }) {
  return (
    <Badge color={user.isActive ? 'green' : 'gray'} variant="light">
      {user.isActive ? t('users.active') : t('users.inactive')}
    </Badge>
  );
}

/** A user's buttons, each opening its dialog; their names say whom they act on. */
function UserActions({ user, onOpen }: { user: UserView; onOpen: (dialog: Dialog) => void }) {
  return (
    <>
      <Button size="xs" variant="default" onClick={() => onOpen({ kind: 'edit', user })} aria-label={t('users.editOf', { name: user.name })}>
        {t('users.edit')}
      </Button>
      <Button size="xs" variant="default" onClick={() => onOpen({ kind: 'password', user })} aria-label={t('users.resetPasswordOf', { name: user.name })}>
        {t('users.resetPassword')}
      </Button>
      {user.isActive ? (
        <Button size="xs" variant="light" color="red" onClick={() => onOpen({ kind: 'deactivate', user })} aria-label={`${t('users.deactivate')} ${user.name}`}>
          {t('users.deactivate')}
        </Button>
      ) : (
        <Button size="xs" variant="light" onClick={() => onOpen({ kind: 'reactivate', user })} aria-label={`${t('users.reactivate')} ${user.name}`}>
          {t('users.reactivate')}
        </Button>
      )}
    </>
  );
}

/** The profile as the forms edit it: every field a string, '' for none. */
interface ProfileValues {
  name: string;
  username: string;
  email: string;
  phone: string;
  address: string;
  dateOfBirth: string;
  joiningDate: string;
}
type OptionalField = Exclude<keyof ProfileValues, 'name' | 'username'>;
const OPTIONAL_FIELDS: OptionalField[] = ['email', 'phone', 'address', 'dateOfBirth', 'joiningDate'];

function profileOf(user?: UserView): ProfileValues {
  return {
    name: user?.name ?? '',
    username: user?.username ?? '',
    email: user?.email ?? '',
    phone: user?.phone ?? '',
    address: user?.address ?? '',
    dateOfBirth: user?.dateOfBirth ?? '',
    joiningDate: user?.joiningDate ?? '',
  };
}

/** Name, username and the optional profile fields, shared by the create and edit forms. */
function ProfileFields({ values, onChange, children }: { values: ProfileValues; onChange: (values: ProfileValues) => void; children?: ReactNode }) {
  const field = (name: keyof ProfileValues) => ({
    value: values[name],
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => onChange({ ...values, [name]: event.currentTarget.value }),
  });
  return (
    <>
      <TextInput label={t('users.name')} required data-autofocus {...field('name')} />
      <TextInput label={t('users.username')} description={t('signUp.usernameHint')} required {...field('username')} />
      {children}
      <TextInput label={t('users.email')} type="email" {...field('email')} />
      <TextInput label={t('users.phone')} type="tel" {...field('phone')} />
      <TextInput label={t('users.address')} {...field('address')} />
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <TextInput label={t('users.dateOfBirth')} type="date" {...field('dateOfBirth')} />
        <TextInput label={t('users.joiningDate')} type="date" {...field('joiningDate')} />
      </SimpleGrid>
    </>
  );
}

function CreateUserForm({ defaultRole, onCreated }: { defaultRole: UserRole; onCreated: (user: UserView) => void }) {
  const [profile, setProfile] = useState(profileOf());
  const [role, setRole] = useState<UserRole>(defaultRole);
  const [password, setPassword] = useState('');
  const create = useMutation({
    mutationFn: () => {
      const body: CreateUserBody = { name: profile.name.trim(), username: profile.username.trim(), role, password };
      for (const name of OPTIONAL_FIELDS) {
        const value = profile[name].trim();
        if (value) body[name] = value;
      }
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
        <ProfileFields values={profile} onChange={setProfile}>
          <Select
            label={t('users.role')}
            data={ROLES.map((value) => ({ value, label: t(`role.${value}`) }))}
            value={role}
            allowDeselect={false}
            onChange={(value) => isRole(value) && setRole(value)}
          />
          <PasswordInput
            label={t('users.password')}
            description={t('users.passwordHint')}
            required
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
        </ProfileFields>
        <Button type="submit" loading={create.isPending}>
          {t('users.createSubmit')}
        </Button>
      </Stack>
    </form>
  );
}

/** Sends only what changed; an emptied optional field is cleared (null). */
function EditUserForm({ user, onSaved, onCancel }: { user: UserView; onSaved: (user: UserView) => void; onCancel: () => void }) {
  const original = profileOf(user);
  const [profile, setProfile] = useState(original);
  const save = useMutation({
    mutationFn: (body: UpdateUserBody) => unwrap(api.PATCH('/api/users/{id}', { params: { path: { id: user.id } }, body })),
    onSuccess: onSaved,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const body: UpdateUserBody = {};
    if (profile.name.trim() !== original.name) body.name = profile.name.trim();
    if (profile.username.trim() !== original.username) body.username = profile.username.trim();
    for (const name of OPTIONAL_FIELDS) {
      const value = profile[name].trim();
      if (value !== original[name]) body[name] = value || null;
    }
    if (Object.keys(body).length === 0) onCancel();
    else save.mutate(body);
  }

  return (
    <form onSubmit={submit}>
      <Stack>
        <FormError error={save.error} />
        <ProfileFields values={profile} onChange={setProfile} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('users.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('users.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ResetPasswordForm({ user, onReset, onCancel }: { user: UserView; onReset: (user: UserView) => void; onCancel: () => void }) {
  const [password, setPassword] = useState('');
  const reset = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/users/{id}', { params: { path: { id: user.id } }, body: { password } })),
    onSuccess: onReset,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    reset.mutate();
  }

  return (
    <form onSubmit={submit}>
      <Stack>
        <Text>{t('users.resetPasswordIntro', { name: user.name })}</Text>
        <FormError error={reset.error} />
        <PasswordInput
          label={t('users.newPassword')}
          description={t('users.passwordHint')}
          required
          minLength={8}
          autoComplete="new-password"
          data-autofocus
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('users.cancel')}
          </Button>
          <Button type="submit" color="red" loading={reset.isPending}>
            {t('users.resetPasswordSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
