import { Anchor, Container, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { t } from '../i18n';

export function NotFoundPage() {
  return (
    <Container component="main" size="sm" py="xl">
      <Stack>
        <Title order={1}>{t('app.name')}</Title>
        <Text>{t('error.pageNotFound')}</Text>
        <Anchor component={Link} to="/">
          {t('error.backHome')}
        </Anchor>
      </Stack>
    </Container>
  );
}
