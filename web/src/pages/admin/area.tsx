import type { WebArea } from '../../areas/area';
import { RequireRole } from '../../auth/guards';

export const adminArea: WebArea = {
  routes: [
    {
      path: 'admin',
      element: <RequireRole roles={['admin']} />,
      children: [
        { index: true, lazy: async () => ({ Component: (await import('./dashboard')).DashboardPage }) },
        { path: 'users', lazy: async () => ({ Component: (await import('./users')).UsersPage }) },
        { path: 'subjects', lazy: async () => ({ Component: (await import('./subjects')).SubjectsPage }) },
        { path: 'rooms', lazy: async () => ({ Component: (await import('./rooms')).RoomsPage }) },
        { path: 'classes', lazy: async () => ({ Component: (await import('./classes')).ClassesPage }) },
        { path: 'classes/:id', lazy: async () => ({ Component: (await import('./class')).ClassPage }) },
      ],
    },
  ],
  navigation: {
    admin: [
      { to: '/admin', label: 'nav.dashboard', order: 10 },
      { to: '/admin/users', label: 'nav.users', order: 20 },
      { to: '/admin/subjects', label: 'nav.subjects', order: 30 },
      { to: '/admin/rooms', label: 'nav.rooms', order: 40 },
      { to: '/admin/classes', label: 'nav.classes', order: 50 },
    ],
  },
};
