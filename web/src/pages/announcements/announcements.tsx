import { Badge, Button, Checkbox, Group, MultiSelect, Paper, Select, Stack, Text, Textarea, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { liveKeys } from '../../live/live-events';
import { FormError } from '../form-error';
import { QueryState } from '../query-state';
import { useAudienceClasses } from './audience-classes';

const ROLES = ['admin', 'teacher', 'student', 'guardian'] as const;
type AudienceKind = 'all' | 'roles' | 'classes';

function CreateAnnouncement({ onDone }: { onDone: () => void }) {
  const { user } = useAccount();
  const isAdmin = user.role === 'admin';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const classes = useAudienceClasses(user.role);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [kind, setKind] = useState<AudienceKind>(isAdmin ? 'all' : 'classes');
  const [roles, setRoles] = useState<string[]>([]);
  const [classIds, setClassIds] = useState<string[]>([]);
  const [requireConfirmation, setRequireConfirmation] = useState(false);
  const post = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/announcements', {
          body: {
            title,
            body,
            requireConfirmation,
            audience:
              kind === 'all' ? { all: true } : kind === 'roles' ? { roles: roles as (typeof ROLES)[number][] } : { classIds },
          },
        }),
      ),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: liveKeys.announcements });
      onDone();
      void navigate(`/announcements/${created.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    post.mutate();
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label={t('announcements.create')}>
      <Stack>
        <TextInput label={t('announcements.titleField')} required maxLength={200} value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        <Textarea
          label={t('announcements.body')}
          description={t('announcements.bodyHint')}
          required
          autosize
          minRows={4}
          maxLength={20000}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
        />
        <Select
          label={t('announcements.audience')}
          value={kind}
          allowDeselect={false}
          onChange={(value) => setKind((value as AudienceKind) ?? 'all')}
          data={[
            ...(isAdmin
              ? [
                  { value: 'all', label: t('announcements.audienceAll') },
                  { value: 'roles', label: t('announcements.audienceRoles') },
                ]
              : []),
            { value: 'classes', label: t('announcements.audienceClasses') },
          ]}
        />
        {kind === 'roles' && (
          <MultiSelect label={t('announcements.roles')} value={roles} onChange={setRoles} data={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))} />
        )}
        {kind === 'classes' && (
          <MultiSelect
            label={t('announcements.classes')}
            value={classIds}
            onChange={setClassIds}
            data={(classes.data ?? []).map((klass) => ({ value: klass.id, label: klass.name }))}
          />
        )}
        <Checkbox label={t('announcements.requireConfirmation')} checked={requireConfirmation} onChange={(e) => setRequireConfirmation(e.currentTarget.checked)} />
        <FormError error={post.error} />
        <Group>
          <Button type="submit" loading={post.isPending}>
            {t('announcements.post')}
          </Button>
          <Button variant="subtle" onClick={onDone}>
            {t('users.cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

export function AnnouncementsPage() {
  const { user } = useAccount();
  const [creating, setCreating] = useState(false);
  const query = useQuery({
    queryKey: [...liveKeys.announcements, 'list'],
    queryFn: () => unwrap(api.GET('/api/announcements', { params: { query: { limit: 100 } } })),
  });
  const mayPost = user.role === 'admin' || user.role === 'teacher';
  return (
    <Stack maw={820}>
      <Group justify="space-between">
        <Title order={1}>{t('announcements.title')}</Title>
        {mayPost && !creating && <Button onClick={() => setCreating(true)}>{t('announcements.create')}</Button>}
      </Group>
      {creating && <CreateAnnouncement onDone={() => setCreating(false)} />}
      <QueryState query={query}>
        {(page) =>
          page.items.length === 0 ? (
            <Text c="dimmed">{t('announcements.empty')}</Text>
          ) : (
            <Stack component="ul" gap="xs" p={0} style={{ listStyle: 'none' }} aria-label={t('announcements.title')}>
              {page.items.map((item) => (
                <li key={item.id}>
                  <UnstyledButton
                    component={Link}
                    to={`/announcements/${item.id}`}
                    p="sm"
                    w="100%"
                    style={{ display: 'block', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}
                  >
                    <Group justify="space-between" wrap="nowrap">
                      <Text fw={item.read ? 500 : 700}>{item.title}</Text>
                      <Group gap={4} wrap="nowrap">
                        {item.pinned && <Badge variant="light">{t('announcements.pinned')}</Badge>}
                        {!item.read && <Badge color="red">{t('announcements.unread')}</Badge>}
                      </Group>
                    </Group>
                    <Text size="sm" c="dimmed">
                      {item.author?.name ?? ''} · {new Date(item.createdAt).toLocaleDateString()}
                    </Text>
                  </UnstyledButton>
                </li>
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
