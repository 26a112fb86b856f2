import type { WebArea } from '../../areas/area';
import { RequireRole } from '../../auth/guards';

export const timetableArea: WebArea = {
  routes: [
    {
      path: 'admin/timetable',
      element: <RequireRole roles={['admin']} />,
      children: [
        { index: true, lazy: async () => ({ Component: (await import('./editor')).TimetableEditorPage }) },
        { path: 'generate', lazy: async () => ({ Component: (await import('./generate')).GeneratePage }) },
        { path: 'print', lazy: async () => ({ Component: (await import('./print')).PrintPage }) },
      ],
    },
  ],
  navigation: { admin: [{ to: '/admin/timetable', label: 'timetable.nav', order: 55 }] },
};
