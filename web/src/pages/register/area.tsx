import type { WebArea } from '../../areas/area';
import { RequireRole } from '../../auth/guards';

export const registerArea: WebArea = {
  routes: [
    {
      path: 'register',
      element: <RequireRole roles={['teacher', 'admin']} />,
      children: [
        {
          element: <RequireRole roles={['teacher']} />,
          children: [{ index: true, lazy: async () => ({ Component: (await import('./today')).TodayRegistersPage }) }],
        },
        { path: 'lessons/:lessonId', lazy: async () => ({ Component: (await import('./register')).RegisterPage }) },
      ],
    },
    {
      path: 'admin',
      element: <RequireRole roles={['admin']} />,
      children: [
        { path: 'cover', lazy: async () => ({ Component: (await import('./cover-board')).CoverBoardPage }) },
        { path: 'attendance/missing', lazy: async () => ({ Component: (await import('./missing')).MissingRegistersPage }) },
      ],
    },
  ],
  navigation: {
    teacher: [{ to: '/register', label: 'nav.registers', order: 25 }],
    admin: [
      { to: '/admin/cover', label: 'nav.cover', order: 70 },
      { to: '/admin/attendance/missing', label: 'nav.missingRegisters', order: 75 },
    ],
  },
};
