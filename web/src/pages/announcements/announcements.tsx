import { Badge, Button, Group, SegmentedControl, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { liveKeys } from '../../live/live-events';
import { ListPagination } from '../list-pagination';
import { QueryState } from '../query-state';
import { AnnouncementForm } from './announcement-form';

const PAGE_SIZE = 20;

/** Pinned first, then newest first (the API's order), in pages of 20 with the page and the unread filter in the address. */
export function AnnouncementsPage() {
  const { user } = useAccount();
  const [creating, setCreating] = useState(false);
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const unreadOnly = params.get('show') === 'unread';
  const query = useQuery({
    queryKey: [...liveKeys.announcements, 'list', page, unreadOnly],
    queryFn: () => unwrap(api.GET('/api/announcements', { params: { query: { page, limit: PAGE_SIZE, ...(unreadOnly ? { unread: true } : {}) } } })),
    placeholderData: keepPreviousData,
  });
  const go = (change: { page?: number; unread?: boolean }) => {
    const next = { page, unread: unreadOnly, ...change };
    setParams({ ...(next.page > 1 ? { page: String(next.page) } : {}), ...(next.unread ? { show: 'unread' } : {}) });
  };
  const mayPost = user.role === 'admin' || user.role === 'teacher';
  return (
    <Stack maw={820}>
      <Group justify="space-between">
        <Title order={1}>{t('announcements.title')}</Title>
        {mayPost && !creating && <Button onClick={() => setCreating(true)}>{t('announcements.create')}</Button>}
      </Group>
      {creating && <AnnouncementForm onDone={() => setCreating(false)} />}
      <SegmentedControl
        w="fit-content"
        aria-label={t('announcements.show')}
        value={unreadOnly ? 'unread' : 'all'}
        onChange={(value) => go({ unread: value === 'unread', page: 1 })}
        data={[
          { value: 'all', label: t('announcements.showAll') },
          { value: 'unread', label: t('announcements.showUnread') },
        ]}
      />
      <QueryState query={query}>
        {(list) =>
          list.items.length === 0 ? (
            <Text>{unreadOnly ? t('announcements.noneUnread') : t('announcements.empty')}</Text>
          ) : (
            <>
              <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('announcements.title')}>
                {list.items.map((item) => (
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
              <ListPagination total={list.total} pageSize={PAGE_SIZE} page={page} onChange={(next) => go({ page: next })} />
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}
