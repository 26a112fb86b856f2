import { forEveryRole, type WebArea } from '../../areas/area';

export const announcementsArea: WebArea = {
  routes: [
    {
      path: 'announcements',
      children: [
        { index: true, lazy: async () => ({ Component: (await import('./announcements')).AnnouncementsPage }) },
        { path: ':id', lazy: async () => ({ Component: (await import('./announcement')).AnnouncementPage }) },
      ],
    },
  ],
  navigation: forEveryRole({ to: '/announcements', label: 'nav.announcements', order: 800 }),
};
