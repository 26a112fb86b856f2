import { Badge } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { t } from '../i18n';
import { liveKeys } from './live-events';

/** Unread messages over all conversations, kept current by the live events. */
export function useUnreadMessages(): number {
  const query = useQuery({ queryKey: liveKeys.unreadMessages, queryFn: () => unwrap(api.GET('/api/messages/unread-count')) });
  return query.data?.unreadCount ?? 0;
}

/** The navigation's count of unread messages (nothing when there are none). */
export function UnreadMessagesBadge() {
  const count = useUnreadMessages();
  if (count === 0) return null;
  return (
    <Badge size="sm" circle={count < 10} color="red" aria-label={t('messages.unreadBadge', { count })} data-testid="unread-messages">
      {count}
    </Badge>
  );
}
