import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { ActivityTable } from '../activity/activity-table';
import { QueryState } from '../query-state';

const RECENT = 10;

function Figure({ id, label, value, children }: { id: string; label: string; value: number; children?: ReactNode }) {
  return (
    <Card withBorder>
      <Text size="sm" c="dimmed" id={`${id}-label`}>
        {label}
      </Text>
      <Text fz={32} fw={700} data-testid={id} aria-describedby={`${id}-label`}>
        {value}
      </Text>
      {children}
    </Card>
  );
}

export function DashboardPage() {
  // One request for every figure (GET /api/users/summary), instead of one per class for the curriculum.
  const summary = useQuery({ queryKey: ['users', 'summary'], queryFn: () => unwrap(api.GET('/api/users/summary')) });
  const activity = useQuery({
    queryKey: ['activity-logs', { limit: RECENT }],
    queryFn: () => unwrap(api.GET('/api/activity-logs', { params: { query: { limit: RECENT } } })),
  });

  return (
    <Stack>
      <Title order={1}>{t('dashboard.title')}</Title>
      <QueryState query={summary}>
        {(figures) => (
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
            <Figure id="count-teachers" label={t('dashboard.teachers')} value={figures.activeUsers.teacher} />
            <Figure id="count-students" label={t('dashboard.students')} value={figures.activeUsers.student} />
            <Figure id="count-guardians" label={t('dashboard.guardians')} value={figures.activeUsers.guardian} />
            <Figure id="count-classes" label={t('dashboard.classes')} value={figures.classes} />
            <Figure id="count-unscheduled" label={t('dashboard.unscheduled')} value={figures.unscheduled.periods}>
              <Text size="sm">
                {figures.unscheduled.periods > 0 ? t(figures.unscheduled.classes === 1 ? 'dashboard.unscheduledClasses.one' : 'dashboard.unscheduledClasses.other', { classes: figures.unscheduled.classes }) : t('dashboard.allScheduled')}
              </Text>
              <Anchor component={Link} to="/admin/classes" size="sm">
                {t('dashboard.openClasses')}
              </Anchor>
            </Figure>
          </SimpleGrid>
        )}
      </QueryState>
      <Group justify="space-between" align="baseline">
        <Title order={2} size="h3">
          {t('dashboard.recentActivity')}
        </Title>
        <Anchor component={Link} to="/admin/activity">
          {t('dashboard.allActivity')}
        </Anchor>
      </Group>
      <QueryState query={activity}>{(page) => (page.items.length === 0 ? <Text>{t('dashboard.noActivity')}</Text> : <ActivityTable entries={page.items} />)}</QueryState>
    </Stack>
  );
}
