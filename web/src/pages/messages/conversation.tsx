import { ActionIcon, Anchor, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { liveKeys } from '../../live/live-events';
import { FormError } from '../form-error';
import { partnerName } from './conversations';

interface Quote {
  id: string;
  senderId: string;
  message: string | null;
}

function quoteText(quote: { message: string | null; deletedAt?: string | null }): string {
  if (quote.deletedAt) return t('messages.deleted');
  return quote.message ?? t('messages.voice');
}

export function ConversationPage() {
  const { userId = '' } = useParams();
  const { user } = useAccount();
  const location = useLocation();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [replyTo, setReplyTo] = useState<Quote | null>(null);

  const conversations = useQuery({
    queryKey: [...liveKeys.conversations, 'list'],
    queryFn: () => unwrap(api.GET('/api/conversations', { params: { query: { limit: 100 } } })),
  });
  const known = conversations.data?.items.find((conversation) => conversation.partner.id === userId)?.partner;
  const name = known ? partnerName(known) : ((location.state as { name?: string } | null)?.name ?? t('messages.conversation'));

  const messages = useInfiniteQuery({
    queryKey: [...liveKeys.messages, userId],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/messages/{userId}', { params: { path: { userId }, query: { limit: 30, ...(pageParam ? { before: pageParam } : {}) } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextBefore,
  });
  // Opening the conversation marked the partner's messages read: the counts change.
  const refreshCounts = () => {
    void queryClient.invalidateQueries({ queryKey: liveKeys.conversations });
    void queryClient.invalidateQueries({ queryKey: liveKeys.unreadMessages });
  };

  const send = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/messages', { body: { receiverId: userId, message: text, ...(replyTo ? { replyTo: replyTo.id } : {}) } })),
    onSuccess: () => {
      setText('');
      setReplyTo(null);
      void queryClient.invalidateQueries({ queryKey: [...liveKeys.messages, userId] });
      refreshCounts();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) send.mutate();
  };

  // Newest first from the server; shown oldest at the top like any chat.
  const items = (messages.data?.pages.flatMap((page) => page.items) ?? []).slice().reverse();
  const forbidden = send.error instanceof ApiError && send.error.status === 403;

  return (
    <Stack maw={720}>
      <Anchor component={Link} to="/messages" onClick={refreshCounts}>
        {t('messages.back')}
      </Anchor>
      <Title order={1}>{name}</Title>
      {messages.hasNextPage && (
        <Button variant="subtle" w="fit-content" onClick={() => void messages.fetchNextPage()} loading={messages.isFetchingNextPage}>
          {t('messages.older')}
        </Button>
      )}
      {messages.isError && !(messages.error instanceof ApiError && messages.error.status === 404) && <FormError error={messages.error} />}
      <Stack component="ol" gap="xs" p={0} style={{ listStyle: 'none' }} aria-label={t('messages.list')} aria-live="polite" data-testid="messages">
        {items.map((message) => {
          const mine = message.senderId === user.id;
          return (
            <li key={message.id} style={{ alignSelf: mine ? 'flex-end' : 'flex-start', maxWidth: '85%' }}>
              <Paper p="xs" radius="md" withBorder bg={mine ? 'blue.0' : undefined}>
                {message.replyTo && (
                  <Text size="xs" c="dimmed" fs="italic" lineClamp={2} style={{ borderLeft: '3px solid var(--mantine-color-gray-4)', paddingLeft: 6 }}>
                    {quoteText(message.replyTo)}
                  </Text>
                )}
                <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} c={message.deletedAt ? 'dimmed' : undefined}>
                  {quoteText(message)}
                </Text>
                <Group justify="space-between" gap="xs" wrap="nowrap">
                  <Text size="xs" c="dimmed">
                    {new Date(message.createdAt).toLocaleString()}
                    {mine && message.readAt ? ` · ${t('messages.read')}` : ''}
                  </Text>
                  {!message.deletedAt && (
                    <ActionIcon
                      variant="subtle"
                      size="sm"
                      aria-label={t('messages.replyTo', { text: quoteText(message).slice(0, 40) })}
                      onClick={() => setReplyTo({ id: message.id, senderId: message.senderId, message: message.message })}
                    >
                      ↩
                    </ActionIcon>
                  )}
                </Group>
              </Paper>
            </li>
          );
        })}
      </Stack>
      {messages.isSuccess && items.length === 0 && <Text c="dimmed">{t('messages.noMessages')}</Text>}
      <form onSubmit={submit}>
        <Stack gap="xs">
          {replyTo && (
            <Group gap="xs" wrap="nowrap" data-testid="replying-to">
              <Text size="sm" c="dimmed" lineClamp={1}>
                {t('messages.replyingTo', { text: quoteText(replyTo) })}
              </Text>
              <Button size="compact-xs" variant="subtle" onClick={() => setReplyTo(null)}>
                {t('messages.cancelReply')}
              </Button>
            </Group>
          )}
          <Textarea
            label={t('messages.write')}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            maxLength={5000}
            autosize
            minRows={2}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.shiftKey) submit(event);
            }}
          />
          {forbidden ? (
            <Text role="alert" c="red">
              {t('messages.forbidden', { name })}
            </Text>
          ) : (
            <FormError error={send.error} />
          )}
          <Button type="submit" loading={send.isPending} w="fit-content" disabled={!text.trim()}>
            {t('messages.send')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
