import { Alert, Badge, Button, Card, Group, Modal, NumberInput, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { ListPagination } from '../list-pagination';
import { QueryState } from '../query-state';
import { ConfirmDialog } from '../confirm-dialog';
import { ScrollTable } from '../scroll-table';
import { type FileRef, FileList, FileUploader } from './files';
import { formatDateTime, isOverdue, type MyAssignments, type StudentAssignment } from './format';
import { myAssignmentsKey } from './list';
import { type Assignment, assignmentKey, useAssignment } from './queries';
import { StatusBadges } from './status-badges';

type Submission = ResponseOf<'/api/submissions/{id}', 'get'>;

const ROSTER_LIMIT = 200;

function AssignmentHeader({ assignment }: { assignment: Assignment }) {
  return (
    <Stack gap="xs">
      <Title order={1}>{assignment.title}</Title>
      <Text size="sm" c="dimmed">
        {[assignment.subject?.name, assignment.classes.map((entry) => entry.name).join(', '), assignment.teacher.name].filter(Boolean).join(' · ')}
      </Text>
      <Group gap="lg">
        <Text size="sm">{t('assignments.dueOn', { date: formatDateTime(assignment.dueAt) })}</Text>
        <Text size="sm">{t('assignments.maxPointsValue', { max: assignment.maxPoints })}</Text>
        {assignment.allowLate ? <Badge variant="light">{t('assignments.lateAllowed')}</Badge> : null}
      </Group>
      {assignment.description ? (
        <Text style={{ whiteSpace: 'pre-wrap' }}>{assignment.description}</Text>
      ) : null}
      <FileList files={assignment.files} />
    </Stack>
  );
}

/** One submission opened by its teacher: the latest version, a grade for exactly that version, or hand it back. */
function GradeSubmission({ submissionId, onDone }: { submissionId: string; onDone(): void }) {
  const queryClient = useQueryClient();
  const submission = useQuery({
    queryKey: ['submissions', submissionId],
    queryFn: () => unwrap(api.GET('/api/submissions/{id}', { params: { path: { id: submissionId } } })),
    staleTime: 0,
  });
  const [points, setPoints] = useState<number | string>('');
  const [feedback, setFeedback] = useState('');
  const [loadedFor, setLoadedFor] = useState<Submission | null>(null);
  if (submission.data && submission.data !== loadedFor) {
    setLoadedFor(submission.data);
    if (points === '' && submission.data.points !== null) setPoints(submission.data.points);
    if (feedback === '' && submission.data.feedback) setFeedback(submission.data.feedback);
  }

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['submissions', submissionId] }),
      queryClient.invalidateQueries({ queryKey: ['assignments'] }),
    ]);
  const grade = useMutation({
    mutationFn: (version: number) =>
      unwrap(
        api.POST('/api/submissions/{id}/grade', {
          params: { path: { id: submissionId } },
          body: { points: Number(points), ...(feedback.trim() ? { feedback } : {}), version },
        }),
      ),
    onSuccess: async () => {
      await refresh();
      onDone();
    },
    // A newer version came in: load it, so the next grade is for what the teacher now sees.
    onError: (error) => {
      if (error instanceof ApiError && error.body.code === 'STALE') void refresh();
    },
  });
  const reassign = useMutation({
    mutationFn: () => unwrap(api.POST('/api/submissions/{id}/reassign', { params: { path: { id: submissionId } }, body: { feedback } })),
    onSuccess: async () => {
      await refresh();
      onDone();
    },
  });

  return (
    <QueryState query={submission}>
      {(data) => (
        <form
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            grade.mutate(data.version);
          }}
          noValidate
        >
          <Stack>
            <Group gap="xs">
              <StatusBadges status={data.status} late={data.late} />
              <Text size="sm" c="dimmed">
                {t('assignments.versionAt', { version: data.version, date: formatDateTime(data.submittedAt) })}
              </Text>
            </Group>
            {data.text ? (
              <Card withBorder>
                <Text style={{ whiteSpace: 'pre-wrap' }}>{data.text}</Text>
              </Card>
            ) : null}
            <FileList files={data.files} />
            <FormError error={grade.error ?? reassign.error} />
            <NumberInput
              label={t('assignments.gradePoints', { max: data.assignment.maxPoints })}
              min={0}
              max={data.assignment.maxPoints}
              allowDecimal={false}
              required
              value={points}
              onChange={setPoints}
            />
            <Textarea label={t('assignments.feedback')} autosize minRows={2} value={feedback} onChange={(event) => setFeedback(event.currentTarget.value)} />
            <Group>
              <Button type="submit" loading={grade.isPending} disabled={points === ''}>
                {t('assignments.saveGrade')}
              </Button>
              <Button variant="outline" color="orange" loading={reassign.isPending} disabled={!feedback.trim()} onClick={() => reassign.mutate()}>
                {t('assignments.reassign')}
              </Button>
            </Group>
            <Text size="xs" c="dimmed">
              {t('assignments.reassignHint')}
            </Text>
          </Stack>
        </form>
      )}
    </QueryState>
  );
}

/** Its own teacher edits the assignment or deletes it (with its hand-ins, after asking). */
function OwnerActions({ assignment }: { assignment: Assignment }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/assignments/{id}', { params: { path: { id: assignment.id } } })),
    onSuccess: () => {
      queryClient.setQueryData<MyAssignments>(myAssignmentsKey, (rows) => rows?.filter((row) => row.id !== assignment.id) as MyAssignments | undefined);
      queryClient.removeQueries({ queryKey: assignmentKey(assignment.id) });
      navigate('/assignments');
    },
  });
  return (
    <Group gap="xs">
      <Button variant="default" component={Link} to={`/assignments/${assignment.id}/edit`}>
        {t('assignments.edit')}
      </Button>
      <Button variant="outline" color="red" onClick={() => setConfirming(true)}>
        {t('assignments.delete')}
      </Button>
      <ConfirmDialog
        opened={confirming}
        title={t('assignments.confirmDeleteTitle', { title: assignment.title })}
        message={t('assignments.confirmDelete')}
        confirmLabel={t('assignments.delete')}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirming(false)}
      />
    </Group>
  );
}

function TeacherView({ id }: { id: string }) {
  const { user } = useAccount();
  const assignment = useAssignment(id);
  const [page, setPage] = useState(1);
  const roster = useQuery({
    queryKey: ['assignments', id, 'submissions', page],
    queryFn: () => unwrap(api.GET('/api/assignments/{id}/submissions', { params: { path: { id }, query: { page, limit: ROSTER_LIMIT } } })),
    staleTime: 0,
  });
  const [open, setOpen] = useState<{ submissionId: string; student: string } | null>(null);

  return (
    <Stack>
      <QueryState query={assignment}>
        {(data) => (
          <Stack gap="xs">
            <AssignmentHeader assignment={data} />
            {data.teacher.id === user.id ? <OwnerActions assignment={data} /> : null}
          </Stack>
        )}
      </QueryState>
      <Title order={2} size="h3">
        {t('assignments.whoSubmitted')}
      </Title>
      <QueryState query={roster}>
        {(data) => (
          <Stack>
            {data.items.length === 0 ? <Text c="dimmed">{t('assignments.noStudents')}</Text> : null}
            <ScrollTable
              label={t('assignments.whoSubmitted')}
              minWidth={640}
              columns={[t('assignments.student'), t('assignments.class'), t('assignments.statusColumn'), t('assignments.submittedAt'), t('assignments.grade'), t('assignments.actions')]}
            >
              {data.items.map((row) => (
                <Table.Tr key={row.student.id}>
                  <Table.Td>{row.student.name}</Table.Td>
                  <Table.Td>{row.class?.name ?? '–'}</Table.Td>
                  <Table.Td>
                    <StatusBadges status={row.status} late={row.late} />
                  </Table.Td>
                  <Table.Td>{row.submittedAt ? formatDateTime(row.submittedAt) : '–'}</Table.Td>
                  <Table.Td>{row.points !== null ? row.points : '–'}</Table.Td>
                  <Table.Td>
                    {row.submissionId ? (
                      <Button
                        size="xs"
                        variant="light"
                        aria-label={t(row.status === 'submitted' ? 'assignments.gradeWorkOf' : 'assignments.openWorkOf', { name: row.student.name })}
                        onClick={() => setOpen({ submissionId: row.submissionId as string, student: row.student.name })}
                      >
                        {t(row.status === 'submitted' ? 'assignments.gradeAction' : 'assignments.open')}
                      </Button>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </ScrollTable>
            <ListPagination total={data.total} pageSize={data.limit} page={page} onChange={setPage} />
          </Stack>
        )}
      </QueryState>
      <Modal
        opened={open !== null}
        onClose={() => setOpen(null)}
        title={open ? t('assignments.submissionOf', { name: open.student }) : ''}
        size="lg"
       
      >
        {open ? <GradeSubmission key={open.submissionId} submissionId={open.submissionId} onDone={() => setOpen(null)} /> : null}
      </Modal>
    </Stack>
  );
}

function Versions({ submissionId }: { submissionId: string }) {
  const versions = useQuery({
    queryKey: ['submissions', submissionId, 'versions'],
    queryFn: () => unwrap(api.GET('/api/submissions/{id}/versions', { params: { path: { id: submissionId } } })),
    staleTime: 0,
  });
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        {t('assignments.versions')}
      </Title>
      <QueryState query={versions}>
        {(data) => (
          <Stack gap="xs">
            {[...data].reverse().map((version) => (
              <Card key={version.version} withBorder padding="sm">
                <Group gap="xs">
                  <Text size="sm" fw={600}>
                    {t('assignments.versionAt', { version: version.version, date: formatDateTime(version.submittedAt) })}
                  </Text>
                  {version.late ? <Badge color="orange" variant="outline">{t('assignments.lateBadge')}</Badge> : null}
                </Group>
                {version.text ? <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{version.text}</Text> : null}
                <FileList files={version.files} />
              </Card>
            ))}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

function SubmitWork({ assignmentId, resubmit }: { assignmentId: string; resubmit: boolean }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [files, setFiles] = useState<FileRef[]>([]);
  const [uploading, setUploading] = useState(false);
  const submit = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/assignments/{id}/submissions', {
          params: { path: { id: assignmentId } },
          body: { ...(text.trim() ? { text } : {}), ...(files.length ? { fileIds: files.map((file) => file.id) } : {}) },
        }),
      ),
    onSuccess: async () => {
      setText('');
      setFiles([]);
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['assignments'] }), queryClient.invalidateQueries({ queryKey: ['submissions'] })]);
    },
  });
  return (
    <form
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        submit.mutate();
      }}
      noValidate
    >
      <Stack>
        <Title order={2} size="h3">
          {resubmit ? t('assignments.submitAgain') : t('assignments.submitTitle')}
        </Title>
        {submit.isSuccess ? (
          <Alert color="green" role="status">
            {t('assignments.submittedNotice')}
          </Alert>
        ) : null}
        <FormError error={submit.error} />
        <Textarea label={t('assignments.yourAnswer')} autosize minRows={4} value={text} onChange={(event) => setText(event.currentTarget.value)} />
        <FileUploader value={files} onChange={setFiles} onBusyChange={setUploading} />
        <Group>
          <Button type="submit" loading={submit.isPending} disabled={uploading || (!text.trim() && files.length === 0)}>
            {t('assignments.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function StudentView({ id }: { id: string }) {
  const assignment = useAssignment(id);
  const mine = useQuery({ queryKey: myAssignmentsKey, queryFn: () => unwrap(api.GET('/api/assignments/my-assignments')), staleTime: 0 });
  const standing = (mine.data as StudentAssignment[] | undefined)?.find((row) => row.id === id);
  return (
    <Stack>
      <QueryState query={assignment}>{(data) => <AssignmentHeader assignment={data} />}</QueryState>
      <QueryState query={mine}>
        {() =>
          standing ? (
            <Stack>
              <Group gap="xs">
                <StatusBadges status={standing.status} late={standing.late} size="lg" />
                {isOverdue(standing) ? (
                  <Text c="red.8" fw={600}>
                    {t('assignments.overdue')}
                  </Text>
                ) : null}
              </Group>
              {standing.status === 'graded' ? (
                <Alert color="green" title={t('assignments.yourGrade')}>
                  <Text fw={600} data-testid="grade">
                    {t('assignments.points', { points: standing.points ?? 0, max: standing.maxPoints })}
                  </Text>
                  {standing.feedback ? <Text style={{ whiteSpace: 'pre-wrap' }}>{standing.feedback}</Text> : null}
                </Alert>
              ) : null}
              {standing.status === 'reassigned' && standing.feedback ? (
                <Alert color="orange" title={t('assignments.handedBack')}>
                  <Text style={{ whiteSpace: 'pre-wrap' }}>{standing.feedback}</Text>
                </Alert>
              ) : null}
              {standing.status === 'graded' ? null : Date.parse(standing.dueAt) < Date.now() && !standing.allowLate && standing.status !== 'reassigned' ? (
                <Text c="dimmed">{t('assignments.closed')}</Text>
              ) : (
                <SubmitWork assignmentId={id} resubmit={standing.submissionId !== null} />
              )}
              {standing.submissionId ? <Versions submissionId={standing.submissionId} /> : null}
            </Stack>
          ) : null
        }
      </QueryState>
    </Stack>
  );
}

export function AssignmentPage() {
  const { id = '' } = useParams();
  const { user } = useAccount();
  return user.role === 'student' ? <StudentView id={id} /> : <TeacherView id={id} />;
}
