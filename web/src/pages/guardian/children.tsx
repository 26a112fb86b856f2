import { Anchor, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { t } from '../../i18n';
import { conversationLink } from '../messages/links';
import { QueryState } from '../query-state';
import { ChildLinks, useChildren } from './child';

/** A guardian's start page: each child with class and homeroom teacher (a link to write to them), and the way to their pages. */
export function ChildrenPage() {
  const children = useChildren();
  return (
    <Stack>
      <Title order={1}>{t('children.title')}</Title>
      <QueryState query={children}>
        {(rows) =>
          rows.length === 0 ? (
            <Text c="dimmed">{t('children.empty')}</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
              {rows.map((child) => (
                <Card key={child.id} withBorder component="section" aria-label={child.name}>
                  <Title order={2} size="h3">
                    {child.name}
                  </Title>
                  <Text size="sm">{child.class ? t('children.class', { class: child.class.name }) : t('children.noClass')}</Text>
                  {child.homeroomTeacher ? (
                    <>
                      <Text size="sm" c="dimmed">
                        {t('children.homeroomTeacher', { name: child.homeroomTeacher.name })}
                      </Text>
                      <Anchor component={Link} {...conversationLink(child.homeroomTeacher)} size="sm" w="fit-content">
                        {t('children.writeTo', { name: child.homeroomTeacher.name })}
                      </Anchor>
                    </>
                  ) : null}
                  <Stack mt="sm">
                    <ChildLinks studentId={child.id} name={child.name} />
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
