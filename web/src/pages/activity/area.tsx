import type { WebArea } from '../../areas/area';
import { RequireRole } from '../../auth/guards';

export const activityArea: WebArea = {
  routes: [
    {
      path: 'admin/activity',
      element: <RequireRole roles={['admin']} />,
      children: [{ index: true, lazy: async () => ({ Component: (await import('./activity-log')).ActivityLogPage }) }],
    },
  ],
  navigation: {
    admin: [{ to: '/admin/activity', label: 'activity.nav', order: 60 }],
  },
};
