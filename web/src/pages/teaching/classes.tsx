import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { QueryState } from '../query-state';
import { ClassLinks } from './class-links';
import { useMyClasses } from './my-classes';

/** A teacher's classes: the ones they lead and the ones they teach, each opening its students and gradebook. */
export function MyClassesPage() {
  const { user } = useAccount();
  const classes = useMyClasses();
  return (
    <Stack>
      <Title order={1}>{t('teaching.classes.title')}</Title>
      <QueryState query={classes}>
        {(rows) =>
          rows.length === 0 ? (
            <Text role="status">{t('teaching.classes.empty')}</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
              {rows.map((row) => (
                <Card key={row.id} component="li" withBorder>
                  <Stack gap="xs">
                    <Group justify="space-between" wrap="nowrap">
                      <Title order={2} size="h3">
                        <Anchor component={Link} to={`/classes/${row.id}`} inherit>
                          {row.name}
                        </Anchor>
                      </Title>
                      {row.homeroomTeacher?.id === user.id ? <Badge variant="light">{t('teaching.classes.homeroom')}</Badge> : null}
                    </Group>
                    <Text size="sm">{t('teaching.classes.students', { count: row.studentCount, max: row.maxStudents })}</Text>
                    <Text size="sm" c="dimmed">
                      {row.subjects.length > 0 ? row.subjects.map((subject) => subject.name).join(', ') : t('teaching.classes.noSubjects')}
                    </Text>
                    <ClassLinks classId={row.id} name={row.name} />
                  </Stack>
                </Card>
              ))}
            </SimpleGrid>
          )
        }
      </QueryState>
    </Stack>
  );
}
