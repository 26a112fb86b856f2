import { Loader } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { t } from '../i18n';
import { FormError } from './form-error';

/** A query's loading and error states in one place; `children` renders its data. */
export function QueryState<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loader size="sm" aria-label={t('app.loading')} />;
  if (query.isError) return <FormError error={query.error} />;
  return <>{children(query.data)}</>;
}
