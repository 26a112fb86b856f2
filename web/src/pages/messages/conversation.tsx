import { Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import { type InfiniteData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { liveKeys } from '../../live/live-events';
import { LiveStatus } from '../../live/live-status';
import { FormError } from '../form-error';
import { ConfirmDialog } from '../confirm-dialog';
import { Composer } from './composer';
import { conversationsQuery, partnerName } from './conversations';
import { type Message, MessageItem, type MessagePage, mayDelete, quoteText } from './message';

/** The partner's name: from the first page of conversations, else as the link that led here gave it. */
function usePartnerName(userId: string): string {
  const location = useLocation();
  const conversations = useQuery(conversationsQuery(1));
  const known = conversations.data?.items.find((conversation) => conversation.partner.id === userId)?.partner;
  if (known) return partnerName(known);
  return (location.state as { name?: string } | null)?.name ?? t('messages.conversation');
}

function markDeleted(data: InfiniteData<MessagePage> | undefined, id: string): InfiniteData<MessagePage> | undefined {
  if (!data) return data;
  const deletedAt = new Date().toISOString();
  return {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      items: page.items.map((item) => (item.id === id ? { ...item, deletedAt, message: null, file: null, durationSeconds: null } : item)),
    })),
  };
}

export function ConversationPage() {
  const { userId = '' } = useParams();
  const { user } = useAccount();
  const queryClient = useQueryClient();
  const name = usePartnerName(userId);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [deleting, setDeleting] = useState<Message | null>(null);
  const authorOf = (senderId: string) => (senderId === user.id ? t('messages.you') : name);

  const messagesKey = [...liveKeys.messages, userId];
  // Pages go back in time with `before`; a live event refetches them all, so the newest page is
  // current and older ones keep their place.
  const messages = useInfiniteQuery({
    queryKey: messagesKey,
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
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: messagesKey });
    refreshCounts();
  };

  // Shown as deleted at once; put back if the server refuses (the 15 minutes ran out meanwhile).
  const remove = useMutation({
    mutationFn: (message: Message) => unwrap(api.DELETE('/api/messages/{id}', { params: { path: { id: message.id } } })),
    onMutate: async (message) => {
      setDeleting(null);
      await queryClient.cancelQueries({ queryKey: messagesKey });
      const previous = queryClient.getQueryData<InfiniteData<MessagePage>>(messagesKey);
      queryClient.setQueryData<InfiniteData<MessagePage>>(messagesKey, (data) => markDeleted(data, message.id));
      return { previous };
    },
    onError: (_error, _message, context) => {
      if (context?.previous) queryClient.setQueryData(messagesKey, context.previous);
    },
    onSettled: refresh,
  });

  // Newest first from the server; shown oldest at the top like any chat.
  const items = (messages.data?.pages.flatMap((page) => page.items) ?? []).slice().reverse();
  const newestId = messages.data?.pages[0]?.items[0]?.id;
  const composer = useRef<HTMLDivElement>(null);
  // A new message (sent or received) brings the end of the conversation into view; older pages do not.
  useEffect(() => {
    if (newestId) composer.current?.scrollIntoView({ block: 'nearest' });
  }, [newestId]);

  return (
    <Stack maw={720}>
      <Group justify="space-between">
        <Anchor component={Link} to="/messages" onClick={refreshCounts}>
          {t('messages.back')}
        </Anchor>
        <LiveStatus />
      </Group>
      <Title order={1}>{name}</Title>
      {messages.hasNextPage && (
        <Button variant="subtle" w="fit-content" onClick={() => void messages.fetchNextPage()} loading={messages.isFetchingNextPage}>
          {t('messages.older')}
        </Button>
      )}
      {messages.isError && !(messages.error instanceof ApiError && messages.error.status === 404) && <FormError error={messages.error} />}
      <FormError error={remove.error} />
      <Stack component="ol" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('messages.list')} aria-live="polite" data-testid="messages">
        {items.map((message) => {
          const mine = message.senderId === user.id;
          return (
            <li key={message.id} style={{ alignSelf: mine ? 'flex-end' : 'flex-start', maxWidth: '85%' }}>
              <MessageItem
                message={message}
                mine={mine}
                authorOf={authorOf}
                deletable={mayDelete(message, user)}
                onReply={setReplyTo}
                onDelete={setDeleting}
              />
            </li>
          );
        })}
      </Stack>
      {messages.isSuccess && items.length === 0 && <Text c="dimmed">{t('messages.noMessages')}</Text>}
      <div ref={composer}>
        <Composer
          partnerId={userId}
          partnerName={name}
          replyTo={replyTo && { quote: replyTo, author: authorOf(replyTo.senderId) }}
          onCancelReply={() => setReplyTo(null)}
          onSent={() => {
            setReplyTo(null);
            refresh();
          }}
        />
      </div>
      <ConfirmDialog
        opened={deleting !== null}
        title={t('messages.confirmDeleteTitle')}
        message={t('messages.confirmDelete', { text: deleting ? quoteText(deleting).slice(0, 80) : '' })}
        confirmLabel={t('messages.delete')}
        pending={false}
        error={null}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
      />
    </Stack>
  );
}
