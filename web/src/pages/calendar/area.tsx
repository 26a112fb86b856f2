import { forEveryRole, type WebArea } from '../../areas/area';

export const calendarArea: WebArea = {
  routes: [{ path: 'calendar', lazy: async () => ({ Component: (await import('./calendar')).CalendarPage }) }],
  navigation: forEveryRole({ to: '/calendar', label: 'calendar.nav', order: 60 }),
};
