import type { WebArea } from '../../areas/area';
import { RequireRole } from '../../auth/guards';

const item = { to: '/week', label: 'nav.week', order: 20 } as const;

export const weekArea: WebArea = {
  routes: [
    {
      path: 'week',
      element: <RequireRole roles={['teacher', 'student']} />,
      children: [{ index: true, lazy: async () => ({ Component: (await import('./week')).WeekPage }) }],
    },
  ],
  navigation: { teacher: [item], student: [item] },
};
