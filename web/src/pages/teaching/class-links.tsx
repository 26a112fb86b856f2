import { Anchor, Group } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { t } from '../../i18n';

/** Links between a class's pages: its students and its gradebook. */
export function ClassLinks({ classId, name }: { classId: string; name: string }) {
  const { pathname } = useLocation();
  const pages = [
    { to: `/classes/${classId}`, label: t('teaching.classes.studentsLink') },
    { to: `/classes/${classId}/gradebook`, label: t('teaching.gradebook.link') },
  ];
  return (
    <Group gap="md" component="nav" aria-label={t('teaching.classes.pagesOf', { name })}>
      {pages.map((page) => (
        <Anchor key={page.to} component={Link} to={page.to} aria-current={pathname === page.to ? 'page' : undefined}>
          {page.label}
        </Anchor>
      ))}
    </Group>
  );
}
