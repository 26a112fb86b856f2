import { forEveryRole, type WebArea } from '../../areas/area';

export const accountArea: WebArea = {
  routes: [{ path: 'account', lazy: async () => ({ Component: (await import('./change-password')).ChangePasswordPage }) }],
  navigation: forEveryRole({ to: '/account', label: 'nav.account', order: 900 }),
};
