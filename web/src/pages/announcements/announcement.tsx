import { Alert, Anchor, Badge, Box, Button, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { Role } from '../../api/types';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { liveKeys } from '../../live/live-events';
import { FormError } from '../form-error';
import { QueryState } from '../query-state';
import { ConfirmDialog } from '../confirm-dialog';
import { AnnouncementForm } from './announcement-form';

type Person = { id: string; name: string; role: Role };

/** One side of the reads: a list scrolling in its own box (reachable by keyboard), so an audience of 2,000 stays a box on the page. */
function People<P extends Person>({ label, people, when }: { label: string; people: P[]; when?: (person: P) => string }) {
  return (
    <Stack gap={4}>
      <Text fw={700}>{label}</Text>
      {people.length === 0 ? (
        <Text size="sm">{t('announcements.nobody')}</Text>
      ) : (
        <Box mah={320} style={{ overflowY: 'auto' }} tabIndex={0} role="region" aria-label={label}>
          <List aria-label={label} size="sm" spacing={2}>
            {people.map((person) => (
              <List.Item key={person.id}>
                {person.name} ({t(`role.${person.role}`)}){when ? ` · ${when(person)}` : ''}
              </List.Item>
            ))}
          </List>
        </Box>
      )}
    </Stack>
  );
}

/** Who has read it and who has not: for its author and admins. */
function Reads({ id }: { id: string }) {
  const query = useQuery({
    queryKey: [...liveKeys.announcements, id, 'reads'],
    queryFn: () => unwrap(api.GET('/api/announcements/{id}/reads', { params: { path: { id } } })),
    staleTime: 0,
  });
  return (
    <section aria-labelledby="reads-heading">
      <Title order={2} size="h3" id="reads-heading">
        {t('announcements.reads')}
      </Title>
      <QueryState query={query}>
        {(reads) => (
          <Stack gap="xs">
            <Text data-testid="read-count">{t('announcements.readCount', { read: reads.readCount, audience: reads.audience })}</Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <People
                label={t('announcements.readBy')}
                people={reads.read}
                when={(person) => new Date(person.readAt).toLocaleString()}
              />
              <People label={t('announcements.notYetRead')} people={reads.unread} />
            </SimpleGrid>
          </Stack>
        )}
      </QueryState>
    </section>
  );
}

/** Deleting behind a confirmation; back to the list once gone. */
function DeleteAnnouncement({ id, title }: { id: string; title: string }) {
  const [confirming, setConfirming] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/announcements/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: liveKeys.announcements });
      void navigate('/announcements');
    },
  });
  return (
    <>
      <Button color="red" variant="outline" onClick={() => setConfirming(true)}>
        {t('announcements.delete')}
      </Button>
      <ConfirmDialog
        opened={confirming}
        title={t('announcements.deleteTitle')}
        message={t('announcements.deleteText', { title })}
        confirmLabel={t('announcements.deleteConfirm')}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirming(false)}
      />
    </>
  );
}

/**
 * The body is Markdown the server returns as written. It is shown as plain text with its line
 * breaks kept: React escapes it, so no markup in it can ever run (no Markdown renderer small and
 * safe enough for the size budget was added).
 */
function Body({ text }: { text: string }) {
  return <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{text}</Text>;
}

export function AnnouncementPage() {
  const { id = '' } = useParams();
  const { user } = useAccount();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: [...liveKeys.announcements, id],
    queryFn: () => unwrap(api.GET('/api/announcements/{id}', { params: { path: { id } } })),
  });
  const markRead = useMutation({
    mutationFn: () => unwrap(api.POST('/api/announcements/{id}/read', { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: liveKeys.announcements }),
  });
  const [editing, setEditing] = useState(false);
  const announcement = query.data;
  // One that asks for no confirmation counts as read once opened.
  useEffect(() => {
    if (announcement && !announcement.read && !announcement.requireConfirmation && markRead.isIdle) markRead.mutate();
  }, [announcement, markRead]);

  return (
    <Stack maw={820}>
      <Anchor component={Link} to="/announcements">
        {t('announcements.back')}
      </Anchor>
      <QueryState query={query}>
        {(item) => {
          const mayManage = user.role === 'admin' || item.author?.id === user.id;
          if (editing) return <AnnouncementForm editing={item} onDone={() => setEditing(false)} />;
          return (
            <Stack>
              <Group gap="xs">
                <Title order={1}>{item.title}</Title>
                {item.pinned && <Badge variant="light">{t('announcements.pinned')}</Badge>}
              </Group>
              <Text size="sm" c="dimmed">
                {item.author?.name ?? ''} · {new Date(item.createdAt).toLocaleString()}
                {item.pinned && item.pinnedUntil ? ` · ${t('announcements.pinnedUntilDate', { date: new Date(item.pinnedUntil).toLocaleDateString() })}` : ''}
              </Text>
              <Body text={item.body} />
              {item.requireConfirmation &&
                (item.read ? (
                  <Alert color="green" variant="light">
                    {t('announcements.confirmed', { at: new Date(item.readAt ?? item.createdAt).toLocaleString() })}
                  </Alert>
                ) : (
                  <Button w="fit-content" onClick={() => markRead.mutate()} loading={markRead.isPending}>
                    {t('announcements.confirm')}
                  </Button>
                ))}
              <FormError error={markRead.error} />
              {mayManage && (
                <Group>
                  <Button variant="default" onClick={() => setEditing(true)}>
                    {t('announcements.edit')}
                  </Button>
                  <DeleteAnnouncement id={item.id} title={item.title} />
                </Group>
              )}
              {mayManage && <Reads id={item.id} />}
            </Stack>
          );
        }}
      </QueryState>
    </Stack>
  );
}
