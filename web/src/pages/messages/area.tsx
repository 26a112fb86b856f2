import { forEveryRole, type WebArea } from '../../areas/area';
import { UnreadMessagesBadge } from '../../live/unread-badge';

export const messagesArea: WebArea = {
  routes: [
    {
      path: 'messages',
      children: [
        { index: true, lazy: async () => ({ Component: (await import('./conversations')).ConversationsPage }) },
        { path: ':userId', lazy: async () => ({ Component: (await import('./conversation')).ConversationPage }) },
      ],
    },
  ],
  navigation: forEveryRole({ to: '/messages', label: 'nav.messages', order: 700, badge: UnreadMessagesBadge }),
};
