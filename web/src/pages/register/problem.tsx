import { Alert } from '@mantine/core';

/** A failure this area words itself (a conflict with its facts, a date without the lesson), where screen readers announce it. */
export function Problem({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert" variant="light">
      {message}
    </Alert>
  );
}
