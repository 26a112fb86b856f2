import type { WebArea } from '../../areas/area';
import { RequireRole } from '../../auth/guards';

const today = { to: '/today', label: 'nav.today', order: 15 } as const;

/** A teacher's and a student's day (today's lessons, the calendar-feed link), and a teacher's classes with their gradebooks. */
export const teachingArea: WebArea = {
  routes: [
    {
      path: 'today',
      element: <RequireRole roles={['teacher', 'student']} />,
      children: [{ index: true, lazy: async () => ({ Component: (await import('./today')).TodayPage }) }],
    },
    {
      path: 'classes',
      element: <RequireRole roles={['teacher']} />,
      children: [
        { index: true, lazy: async () => ({ Component: (await import('./classes')).MyClassesPage }) },
        { path: ':id', lazy: async () => ({ Component: (await import('./class-students')).ClassStudentsPage }) },
        { path: ':id/gradebook', lazy: async () => ({ Component: (await import('./gradebook')).GradebookPage }) },
      ],
    },
  ],
  navigation: {
    teacher: [today, { to: '/classes', label: 'nav.myClasses', order: 30 }],
    student: [today],
  },
};
