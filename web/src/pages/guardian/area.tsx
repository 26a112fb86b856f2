import type { WebArea } from '../../areas/area';
import { RequireRole } from '../../auth/guards';

export const guardianArea: WebArea = {
  routes: [
    {
      path: 'children',
      element: <RequireRole roles={['guardian']} />,
      children: [
        { index: true, lazy: async () => ({ Component: (await import('./children')).ChildrenPage }) },
        { path: ':studentId/week', lazy: async () => ({ Component: (await import('./child-week')).ChildWeekPage }) },
        { path: ':studentId/assignments', lazy: async () => ({ Component: (await import('./child-assignments')).ChildAssignmentsPage }) },
        { path: ':studentId/attendance', lazy: async () => ({ Component: (await import('./child-attendance')).ChildAttendancePage }) },
      ],
    },
  ],
  navigation: { guardian: [{ to: '/children', label: 'nav.children', order: 10 }] },
};
