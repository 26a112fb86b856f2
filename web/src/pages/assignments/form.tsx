import { Button, Checkbox, Group, MultiSelect, NumberInput, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { useMyClasses } from '../teaching/my-classes';
import { type FileRef, FileUploader } from './files';

/** What the create and edit forms hold; `dueAt` as a datetime-local input has it (local time). */
export interface AssignmentValues {
  title: string;
  description: string;
  classIds: string[];
  dueAt: string;
  maxPoints: number | string;
  allowLate: boolean;
  files: FileRef[];
}

/** A datetime-local input's value for a moment (local time, minutes). */
export function localInputValue(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

interface AssignmentFormProps {
  initial: AssignmentValues;
  /** Classes the assignment already has that the teacher may no longer teach: kept selectable. */
  currentClasses?: { id: string; name: string }[];
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit(values: AssignmentValues): void;
  /** Beside the submit button, e.g. "Cancel". */
  extraActions?: ReactNode;
}

/** Title, description, classes, due date, maximum points, late work and files: creating and editing an assignment. */
export function AssignmentForm({ initial, currentClasses = [], submitLabel, pending, error, onSubmit, extraActions }: AssignmentFormProps) {
  const classes = useMyClasses();
  const [values, setValues] = useState(initial);
  const [uploading, setUploading] = useState(false);
  const set = <K extends keyof AssignmentValues>(key: K, value: AssignmentValues[K]) => setValues((previous) => ({ ...previous, [key]: value }));
  const classOptions = new Map([...currentClasses, ...(classes.data ?? [])].map((entry) => [entry.id, entry.name]));

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(values);
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError error={error ?? classes.error} />
        <TextInput label={t('assignments.title')} required maxLength={200} value={values.title} onChange={(event) => set('title', event.currentTarget.value)} />
        <Textarea
          label={t('assignments.description')}
          autosize
          minRows={3}
          value={values.description}
          onChange={(event) => set('description', event.currentTarget.value)}
        />
        <MultiSelect
          label={t('assignments.classes')}
          description={t('assignments.classesHint')}
          required
          data={[...classOptions].map(([value, label]) => ({ value, label }))}
          value={values.classIds}
          onChange={(classIds) => set('classIds', classIds)}
          searchable
          nothingFoundMessage={t('assignments.noClasses')}
        />
        <TextInput
          type="datetime-local"
          label={t('assignments.dueAt')}
          required
          value={values.dueAt}
          onChange={(event) => set('dueAt', event.currentTarget.value)}
        />
        <NumberInput
          label={t('assignments.maxPoints')}
          min={1}
          max={1000}
          allowDecimal={false}
          value={values.maxPoints}
          onChange={(maxPoints) => set('maxPoints', maxPoints)}
        />
        <Checkbox label={t('assignments.allowLate')} checked={values.allowLate} onChange={(event) => set('allowLate', event.currentTarget.checked)} />
        <FileUploader value={values.files} onChange={(files) => set('files', files)} onBusyChange={setUploading} />
        <Group>
          <Button type="submit" loading={pending} disabled={uploading}>
            {submitLabel}
          </Button>
          {extraActions}
        </Group>
      </Stack>
    </form>
  );
}
