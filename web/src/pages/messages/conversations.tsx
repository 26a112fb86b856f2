import { Badge, Group, Select, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { liveKeys } from '../../live/live-events';
import { LiveStatus } from '../../live/live-status';
import { ListPagination } from '../list-pagination';
import { QueryState } from '../query-state';
import { conversationLink } from './links';
import { useCandidates } from './partners';

const PAGE_SIZE = 25;

/** One page of the conversation list, most recent first; a live message event makes it stale. */
export function conversationsQuery(page: number) {
  return {
    queryKey: [...liveKeys.conversations, 'list', page],
    queryFn: () => unwrap(api.GET('/api/conversations', { params: { query: { page, limit: PAGE_SIZE } } })),
  };
}

export function partnerName(partner: { name: string | null }): string {
  return partner.name ?? t('messages.deletedAccount');
}

function NewConversation() {
  const { user } = useAccount();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const candidates = useCandidates(user.role, search);
  const data = (candidates.data ?? []).filter((candidate) => candidate.id !== user.id);
  return (
    <Select
      label={t('messages.newConversation')}
      placeholder={t('messages.pickPerson')}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={candidates.isPending ? t('app.loading') : t('messages.nobodyFound')}
      data={data.map((candidate) => ({ value: candidate.id, label: `${candidate.name} (${t(`role.${candidate.role}`)})` }))}
      onChange={(id) => {
        const candidate = data.find((c) => c.id === id);
        if (!candidate) return;
        const link = conversationLink(candidate);
        void navigate(link.to, { state: link.state });
      }}
      maw={420}
    />
  );
}

export function ConversationsPage() {
  // The page lives in the address, so coming back from a conversation returns to it.
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const query = useQuery({ ...conversationsQuery(page), placeholderData: keepPreviousData });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('messages.title')}</Title>
        <LiveStatus />
      </Group>
      <NewConversation />
      <QueryState query={query}>
        {(list) =>
          list.items.length === 0 ? (
            <Text c="dimmed">{t('messages.empty')}</Text>
          ) : (
            <Stack component="ul" gap="xs" p={0} style={{ listStyle: 'none' }} aria-label={t('messages.conversations')}>
              {list.items.map((conversation) => (
                <li key={conversation.partner.id}>
                  <UnstyledButton
                    component={Link}
                    {...conversationLink(conversation.partner)}
                    className="conversation-row"
                    p="sm"
                    w="100%"
                    style={{ display: 'block', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}
                  >
                    <Group justify="space-between" wrap="nowrap">
                      <Text fw={conversation.unreadCount > 0 ? 700 : 500}>
                        {partnerName(conversation.partner)}
                        {conversation.partner.role && (
                          <Text span c="dimmed" size="sm">
                            {' '}
                            ({t(`role.${conversation.partner.role}`)})
                          </Text>
                        )}
                      </Text>
                      {conversation.unreadCount > 0 && (
                        <Badge color="red" aria-label={t('messages.unreadInConversation', { count: conversation.unreadCount })}>
                          {conversation.unreadCount}
                        </Badge>
                      )}
                    </Group>
                    <Text size="sm" c="dimmed" lineClamp={1}>
                      {conversation.lastMessage.deletedAt
                        ? t('messages.deleted')
                        : (conversation.lastMessage.message ?? t('messages.voice'))}
                    </Text>
                  </UnstyledButton>
                </li>
              ))}
            </Stack>
          )
        }
      </QueryState>
      {query.data && (
        <ListPagination total={query.data.total} pageSize={PAGE_SIZE} page={page} onChange={(next) => setParams(next === 1 ? {} : { page: String(next) })} />
      )}
    </Stack>
  );
}
