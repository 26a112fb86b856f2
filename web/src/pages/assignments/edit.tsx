import { Button, Stack, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { QueryState } from '../query-state';
import { AssignmentForm, type AssignmentValues, localInputValue } from './form';
import { type Assignment, assignmentKey, useAssignment } from './queries';

function valuesOf(assignment: Assignment): AssignmentValues {
  return {
    title: assignment.title,
    description: assignment.description ?? '',
    classIds: assignment.classes.map((entry) => entry.id),
    dueAt: localInputValue(new Date(assignment.dueAt)),
    maxPoints: assignment.maxPoints,
    allowLate: assignment.allowLate,
    files: assignment.files,
  };
}

function EditForm({ assignment }: { assignment: Assignment }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const initial = valuesOf(assignment);
  const save = useMutation({
    mutationFn: (values: AssignmentValues) =>
      unwrap(
        api.PATCH('/api/assignments/{id}', {
          params: { path: { id: assignment.id } },
          body: {
            title: values.title.trim(),
            description: values.description.trim() ? values.description : null,
            classIds: values.classIds,
            // The API takes only due dates in the future: an unchanged one (perhaps passed) is left out.
            ...(values.dueAt !== initial.dueAt ? { dueAt: new Date(values.dueAt).toISOString() } : {}),
            maxPoints: Number(values.maxPoints),
            allowLate: values.allowLate,
            fileIds: values.files.map((file) => file.id),
          },
        }),
      ),
    onSuccess: async (updated) => {
      queryClient.setQueryData(assignmentKey(assignment.id), updated);
      await queryClient.invalidateQueries({ queryKey: ['assignments'] });
      navigate(`/assignments/${assignment.id}`);
    },
  });
  return (
    <AssignmentForm
      initial={initial}
      currentClasses={assignment.classes}
      submitLabel={t('assignments.saveChanges')}
      pending={save.isPending}
      error={save.error}
      onSubmit={(values) => save.mutate(values)}
      extraActions={
        <Button variant="default" component={Link} to={`/assignments/${assignment.id}`}>
          {t('app.cancel')}
        </Button>
      }
    />
  );
}

export function EditAssignmentPage() {
  const { id = '' } = useParams();
  const assignment = useAssignment(id);
  return (
    <Stack maw={640}>
      <Title order={1}>{t('assignments.editTitle')}</Title>
      <QueryState query={assignment}>{(data) => <EditForm assignment={data} />}</QueryState>
    </Stack>
  );
}
