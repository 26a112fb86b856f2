import { Alert } from '@mantine/core';
import { ApiError } from '../../api/errors';
import { t } from '../../i18n';
import { FormError } from '../form-error';

/**
 * A refused event write in words: a 403 says what teachers may do with the calendar (the generic
 * "not allowed" does not tell them why); anything else as every form says it.
 */
export function EventError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 403) {
    return (
      <Alert color="red" role="alert" variant="light">
        {t('calendar.error.forbidden')}
      </Alert>
    );
  }
  return <FormError error={error} />;
}
