import type { WebArea } from '../../areas/area';
import { RequireRole } from '../../auth/guards';

const item = { to: '/assignments', label: 'nav.assignments', order: 40 } as const;

export const assignmentsArea: WebArea = {
  routes: [
    {
      path: 'assignments',
      element: <RequireRole roles={['teacher', 'student']} />,
      children: [
        { index: true, lazy: async () => ({ Component: (await import('./list')).AssignmentsPage }) },
        {
          path: 'new',
          element: <RequireRole roles={['teacher']} />,
          children: [{ index: true, lazy: async () => ({ Component: (await import('./create')).CreateAssignmentPage }) }],
        },
        { path: ':id', lazy: async () => ({ Component: (await import('./detail')).AssignmentPage }) },
        {
          path: ':id/edit',
          element: <RequireRole roles={['teacher']} />,
          children: [{ index: true, lazy: async () => ({ Component: (await import('./edit')).EditAssignmentPage }) }],
        },
      ],
    },
  ],
  navigation: { teacher: [item], student: [item] },
};
