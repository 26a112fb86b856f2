import { Alert } from '@mantine/core';
import { plainMessage } from '../api/errors';

/** A failed action, said in plain words where screen readers announce it. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" variant="light">
      {plainMessage(error)}
    </Alert>
  );
}
