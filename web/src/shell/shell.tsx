import { AppShell, Burger, Button, Group, Loader, Menu, NavLink, Text, Title, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, Outlet, useLocation, useNavigation } from 'react-router';
import { api } from '../api/client';
import { navigationFor } from '../areas';
import { useAccount, useSession } from '../auth/session';
import { t } from '../i18n';
import { LiveEvents } from '../live/live-events';

/**
 * After a navigation entry is followed, focus moves to the page (its <main>), so a screen reader
 * reads the new page and the next Tab starts there instead of in the navigation. Other navigation
 * (links inside pages, the first load) leaves focus where the page puts it.
 */
function useFocusOnNavigation(pathname: string) {
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    if (document.activeElement?.closest('nav')) document.getElementById('main')?.focus();
  }, [pathname]);
}

export function Shell() {
  const { user, institution } = useAccount();
  const { forget } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigation = useNavigation();
  const signOut = useMutation({
    // Signed out here even when the server cannot be told (offline): the token is forgotten.
    mutationFn: () => api.POST('/api/auth/logout').catch(() => undefined),
    // The sign-in guard then shows sign-in.
    onSettled: () => forget('signed-out'),
  });
  const items = navigationFor(user.role);
  useFocusOnNavigation(location.pathname);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <LiveEvents />
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap" gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.toggleNavigation')} />
            <Title order={2} size="h4" lineClamp={1}>
              {institution.name}
            </Title>
          </Group>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <UnstyledButton aria-label={t('shell.signedInAs', { name: user.name, role: t(`role.${user.role}`) })}>
                <Text size="sm" fw={500} lineClamp={1}>
                  {user.name}
                </Text>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item component={Link} to="/account">
                {t('shell.changePassword')}
              </Menu.Item>
              <Menu.Item onClick={() => signOut.mutate()}>{t('shell.signOut')}</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('shell.navigation')}>
        {items.map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={t(item.label)}
            rightSection={item.badge ? <item.badge /> : undefined}
            active={location.pathname === item.to}
            aria-current={location.pathname === item.to ? 'page' : undefined}
            onClick={close}
          />
        ))}
        <Button variant="subtle" mt="auto" onClick={() => signOut.mutate()} loading={signOut.isPending}>
          {t('shell.signOut')}
        </Button>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {navigation.state === 'loading' ? <Loader aria-label={t('app.loading')} /> : <Outlet />}
      </AppShell.Main>
    </AppShell>
  );
}
