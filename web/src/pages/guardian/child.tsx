import { Anchor, Group } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';
import { type MessageKey, t } from '../../i18n';

export type Child = ResponseOf<'/api/guardians/me/children', 'get'>[number];

export const childrenKey = ['guardians', 'me', 'children'] as const;

/** The signed-in guardian's children; shared by the list and each child's pages (their name). */
export function useChildren() {
  return useQuery({ queryKey: childrenKey, queryFn: () => unwrap(api.GET('/api/guardians/me/children')) });
}

/** The child named in the route (`:studentId`), once the children have loaded. */
export function useChild(): { studentId: string; child: Child | undefined } {
  const { studentId = '' } = useParams();
  const children = useChildren();
  return { studentId, child: children.data?.find((entry) => entry.id === studentId) };
}

export const CHILD_PAGES: { path: string; label: MessageKey }[] = [
  { path: 'week', label: 'children.week' },
  { path: 'assignments', label: 'children.assignments' },
  { path: 'attendance', label: 'children.attendance' },
];

/** Links between one child's pages. */
export function ChildLinks({ studentId, name }: { studentId: string; name: string }) {
  const { pathname } = useLocation();
  return (
    <Group gap="md" component="nav" aria-label={t('children.pagesOf', { name })}>
      {CHILD_PAGES.map((page) => {
        const to = `/children/${studentId}/${page.path}`;
        return (
          <Anchor key={page.path} component={Link} to={to} aria-current={pathname === to ? 'page' : undefined}>
            {t(page.label)}
          </Anchor>
        );
      })}
    </Group>
  );
}
