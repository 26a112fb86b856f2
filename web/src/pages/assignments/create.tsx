import { Button, Checkbox, Group, MultiSelect, NumberInput, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { UploadedFile } from '../../api/files';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { FileUploader } from './files';

/** A datetime-local input's value for a moment (local time, minutes). */
function localInputValue(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function inAWeek(): string {
  const date = new Date(Date.now() + 7 * 24 * 3600_000);
  date.setHours(18, 0, 0, 0);
  return localInputValue(date);
}

export function CreateAssignmentPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const classes = useQuery({ queryKey: ['classes', 'mine'], queryFn: () => unwrap(api.GET('/api/classes/my-classes')) });
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [classIds, setClassIds] = useState<string[]>([]);
  const [dueAt, setDueAt] = useState(inAWeek);
  const [maxPoints, setMaxPoints] = useState<number | string>(100);
  const [allowLate, setAllowLate] = useState(false);
  const [files, setFiles] = useState<UploadedFile[]>([]);
  const [uploading, setUploading] = useState(false);

  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/assignments', {
          body: {
            title: title.trim(),
            ...(description.trim() ? { description } : {}),
            classIds,
            dueAt: new Date(dueAt).toISOString(),
            maxPoints: Number(maxPoints),
            allowLate,
            ...(files.length ? { fileIds: files.map((file) => file.id) } : {}),
          },
        }),
      ),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['assignments'] });
      navigate(`/assignments/${created.id}`);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <Stack maw={640}>
      <Title order={1}>{t('assignments.createTitle')}</Title>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError error={create.error ?? classes.error} />
          <TextInput label={t('assignments.title')} required maxLength={200} value={title} onChange={(event) => setTitle(event.currentTarget.value)} />
          <Textarea
            label={t('assignments.description')}
            autosize
            minRows={3}
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
          />
          <MultiSelect
            label={t('assignments.classes')}
            description={t('assignments.classesHint')}
            required
            data={(classes.data ?? []).map((entry) => ({ value: entry.id, label: entry.name }))}
            value={classIds}
            onChange={setClassIds}
            searchable
            nothingFoundMessage={t('assignments.noClasses')}
          />
          <TextInput
            type="datetime-local"
            label={t('assignments.dueAt')}
            required
            value={dueAt}
            onChange={(event) => setDueAt(event.currentTarget.value)}
          />
          <NumberInput label={t('assignments.maxPoints')} min={1} max={1000} allowDecimal={false} value={maxPoints} onChange={setMaxPoints} />
          <Checkbox label={t('assignments.allowLate')} checked={allowLate} onChange={(event) => setAllowLate(event.currentTarget.checked)} />
          <FileUploader value={files} onChange={setFiles} onBusyChange={setUploading} />
          <Group>
            <Button type="submit" loading={create.isPending} disabled={uploading}>
              {t('assignments.createSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
