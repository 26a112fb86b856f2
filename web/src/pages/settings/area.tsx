import type { WebArea } from '../../areas/area';
import { RequireRole } from '../../auth/guards';

export const settingsArea: WebArea = {
  routes: [
    {
      path: 'admin',
      element: <RequireRole roles={['admin']} />,
      children: [
        { path: 'settings', lazy: async () => ({ Component: (await import('./institution')).InstitutionSettingsPage }) },
        { path: 'bell-schedule', lazy: async () => ({ Component: (await import('./bell-schedule')).BellSchedulePage }) },
      ],
    },
  ],
  navigation: {
    admin: [
      { to: '/admin/bell-schedule', label: 'bellSchedule.nav', order: 85 },
      { to: '/admin/settings', label: 'settings.nav', order: 90 },
    ],
  },
};
