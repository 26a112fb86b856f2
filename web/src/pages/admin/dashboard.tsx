import { Card, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { QueryState } from '../query-state';

const RECENT = 10;
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function Count({ label, value }: { label: string; value: number }) {
  return (
    <Card withBorder>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={32} fw={700} data-testid={`count-${label}`}>
        {value}
      </Text>
    </Card>
  );
}

export function DashboardPage() {
  // One row per list is enough: the answers' totals are the counts.
  const users = useQuery({
    queryKey: ['users', { isActive: true, limit: 1 }],
    queryFn: () => unwrap(api.GET('/api/users', { params: { query: { isActive: true, limit: 1 } } })),
  });
  const classes = useQuery({
    queryKey: ['classes', { limit: 1 }],
    queryFn: () => unwrap(api.GET('/api/classes', { params: { query: { limit: 1 } } })),
  });
  const activity = useQuery({
    queryKey: ['activity-logs', { limit: RECENT }],
    queryFn: () => unwrap(api.GET('/api/activity-logs', { params: { query: { limit: RECENT } } })),
  });

  return (
    <Stack>
      <Title order={1}>{t('dashboard.title')}</Title>
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <QueryState query={users}>{(page) => <Count label={t('dashboard.users')} value={page.total} />}</QueryState>
        <QueryState query={classes}>{(page) => <Count label={t('dashboard.classes')} value={page.total} />}</QueryState>
      </SimpleGrid>
      <Title order={2} size="h3">
        {t('dashboard.recentActivity')}
      </Title>
      <QueryState query={activity}>
        {(page) =>
          page.items.length === 0 ? (
            <Text>{t('dashboard.noActivity')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={480}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('dashboard.activityWhen')}</Table.Th>
                    <Table.Th scope="col">{t('dashboard.activityWho')}</Table.Th>
                    <Table.Th scope="col">{t('dashboard.activityWhat')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((entry) => (
                    <Table.Tr key={entry.id}>
                      <Table.Td>{dateTime.format(new Date(entry.createdAt))}</Table.Td>
                      <Table.Td>{entry.userName ?? t('dashboard.system')}</Table.Td>
                      <Table.Td>{[entry.action, entry.targetType, entry.targetName].filter(Boolean).join(' · ')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </Stack>
  );
}
