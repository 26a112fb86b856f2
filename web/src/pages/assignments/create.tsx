import { Stack, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { AssignmentForm, type AssignmentValues, localInputValue } from './form';

function inAWeek(): string {
  const date = new Date(Date.now() + 7 * 24 * 3600_000);
  date.setHours(18, 0, 0, 0);
  return localInputValue(date);
}

export function CreateAssignmentPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (values: AssignmentValues) =>
      unwrap(
        api.POST('/api/assignments', {
          body: {
            title: values.title.trim(),
            ...(values.description.trim() ? { description: values.description } : {}),
            classIds: values.classIds,
            dueAt: new Date(values.dueAt).toISOString(),
            maxPoints: Number(values.maxPoints),
            allowLate: values.allowLate,
            ...(values.files.length ? { fileIds: values.files.map((file) => file.id) } : {}),
          },
        }),
      ),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['assignments'] });
      navigate(`/assignments/${created.id}`);
    },
  });

  return (
    <Stack maw={640}>
      <Title order={1}>{t('assignments.createTitle')}</Title>
      <AssignmentForm
        initial={{ title: '', description: '', classIds: [], dueAt: inAWeek(), maxPoints: 100, allowLate: false, files: [] }}
        submitLabel={t('assignments.createSubmit')}
        pending={create.isPending}
        error={create.error}
        onSubmit={(values) => create.mutate(values)}
      />
    </Stack>
  );
}
