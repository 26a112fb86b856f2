import { Alert, Anchor, Container } from '@mantine/core';
import { Link, useRouteError } from 'react-router';
import { plainMessage } from '../api/errors';
import { t } from '../i18n';

/** A page that failed to load (a chunk from an older build, a bug): plain words and a way back. */
export function RouteError() {
  const error = useRouteError();
  return (
    <Container size="sm" py="xl">
      <Alert color="red" title={t('app.name')} role="alert">
        {plainMessage(error)}{' '}
        <Anchor component={Link} to="/">
          {t('error.backHome')}
        </Anchor>
      </Alert>
    </Container>
  );
}
