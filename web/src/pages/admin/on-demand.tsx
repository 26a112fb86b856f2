import { Loader } from '@mantine/core';
import { lazy, type ReactNode, Suspense } from 'react';
import { t } from '../../i18n';

/**
 * Parts of the class pages loaded when first shown: their forms bring heavier inputs (number
 * fields, fieldsets) that most visits never open, so they stay out of the pages' first load.
 */
export const ClassForm = lazy(async () => ({ default: (await import('./class-form')).ClassForm }));
export const CurriculumEditor = lazy(async () => ({ default: (await import('./curriculum-editor')).CurriculumEditor }));

/** A spinner stands in while an on-demand part's code arrives. */
export function OnDemand({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loader size="sm" aria-label={t('app.loading')} />}>{children}</Suspense>;
}
