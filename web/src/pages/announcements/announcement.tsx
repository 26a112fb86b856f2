import { Alert, Anchor, Badge, Button, Group, List, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { liveKeys } from '../../live/live-events';
import { FormError } from '../form-error';
import { QueryState } from '../query-state';

/** Who has read it: for its author and admins. */
function Reads({ id }: { id: string }) {
  const query = useQuery({
    queryKey: [...liveKeys.announcements, id, 'reads'],
    queryFn: () => unwrap(api.GET('/api/announcements/{id}/reads', { params: { path: { id } } })),
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
            <List aria-label={t('announcements.readBy')}>
              {reads.read.map((person) => (
                <List.Item key={person.id}>
                  {person.name} ({t(`role.${person.role}`)}) · {new Date(person.readAt).toLocaleString()}
                </List.Item>
              ))}
            </List>
            {reads.unread.length > 0 && (
              <Text size="sm" c="dimmed">
                {t('announcements.notYet', { names: reads.unread.map((person) => person.name).join(', ') })}
              </Text>
            )}
          </Stack>
        )}
      </QueryState>
    </section>
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
        {(item) => (
          <Stack>
            <Group gap="xs">
              <Title order={1}>{item.title}</Title>
              {item.pinned && <Badge variant="light">{t('announcements.pinned')}</Badge>}
            </Group>
            <Text size="sm" c="dimmed">
              {item.author?.name ?? ''} · {new Date(item.createdAt).toLocaleString()}
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
            {(user.role === 'admin' || item.author?.id === user.id) && <Reads id={item.id} />}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
