import { Alert, Anchor, Button, Group, List, MultiSelect, NumberInput, Progress, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { t } from '../../i18n';
import { QueryState } from '../query-state';
import type { BellSchedule, Lesson } from './lessons';
import { LESSONS_KEY, useAllLessons, useBellSchedule } from './queries';
import { useTargets } from './targets';
import { LessonWeek, type ShownLesson } from './week-table';
import { timetableErrorMessage, unsolvableReasons } from './wording';

type Job = ResponseOf<'/api/timetables/jobs/{id}', 'get'>;
type Result = NonNullable<Job['result']>;

const DEFAULT_TIME_LIMIT = 30;

/** The generator: choose what to generate, follow the job live, compare and apply. The job's id is kept in `?job=`. */
export function GeneratePage() {
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('timetable.generate.title')}</Title>
        <Anchor component={Link} to="/admin/timetable">
          {t('timetable.generate.back')}
        </Anchor>
      </Group>
      {jobId ? <JobView key={jobId} id={jobId} onRestart={() => setParams({})} /> : <GenerateForm onStarted={(id) => setParams({ job: id })} />}
    </Stack>
  );
}

/** The id of the job a 409 JOB_RUNNING says is in the way. */
function runningJobId(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.body.code !== 'JOB_RUNNING') return null;
  const job = error.body.job as { id?: unknown } | undefined;
  return typeof job?.id === 'string' ? job.id : null;
}

function GenerateForm({ onStarted }: { onStarted: (jobId: string) => void }) {
  const classes = useTargets('class');
  const [classIds, setClassIds] = useState<string[]>([]);
  const [timeLimit, setTimeLimit] = useState<number | string>(DEFAULT_TIME_LIMIT);
  const start = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/timetables/generate', {
          body: { ...(classIds.length > 0 ? { classIds } : {}), timeLimitSeconds: Number(timeLimit) || DEFAULT_TIME_LIMIT, keepExisting: true },
        }),
      ),
    onSuccess: ({ job }) => onStarted(job.id),
  });
  const reasons = unsolvableReasons(start.error);
  const running = runningJobId(start.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    start.mutate();
  }

  return (
    <form onSubmit={submit}>
      <Stack maw={640}>
        <Text>{t('timetable.generate.intro')}</Text>
        {start.error ? (
          <Alert color="red" role="alert" variant="light">
            <Stack gap="xs">
              <Text size="sm">{timetableErrorMessage(start.error)}</Text>
              {reasons.length > 0 ? (
                <List size="sm">
                  {reasons.map((reason) => (
                    <List.Item key={reason}>{reason}</List.Item>
                  ))}
                </List>
              ) : null}
              {running ? (
                <Button variant="default" size="xs" onClick={() => onStarted(running)} style={{ alignSelf: 'start' }}>
                  {t('timetable.generate.followRunning')}
                </Button>
              ) : null}
            </Stack>
          </Alert>
        ) : null}
        <MultiSelect
          label={t('timetable.generate.classes')}
          placeholder={classIds.length === 0 ? t('timetable.generate.allClasses') : undefined}
          data={classes.data ?? []}
          value={classIds}
          onChange={setClassIds}
          searchable
          clearable
        />
        <NumberInput
          label={t('timetable.generate.timeLimit')}
          description={t('timetable.generate.timeLimitHint')}
          min={1}
          max={600}
          value={timeLimit}
          onChange={setTimeLimit}
        />
        <Text size="sm">{t('timetable.generate.keepPinned')}</Text>
        <Group>
          <Button type="submit" loading={start.isPending}>
            {t('timetable.generate.start')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const isActive = (status: Job['status'] | undefined) => status === 'queued' || status === 'running';

/** A job followed every second while it runs: its progress, then its result to compare and apply. */
function JobView({ id, onRestart }: { id: string; onRestart: () => void }) {
  const queryClient = useQueryClient();
  const job = useQuery({
    queryKey: ['timetable-job', id],
    queryFn: () => unwrap(api.GET('/api/timetables/jobs/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data && !isActive(query.state.data.status) ? false : 1000),
    staleTime: 0,
  });
  const cancel = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/timetables/jobs/{id}', { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['timetable-job', id] }),
  });

  return (
    <QueryState query={job}>
      {(data) => (
        <Stack>
          <JobProgress job={data} />
          {cancel.error ? (
            <Alert color="red" role="alert" variant="light">
              {timetableErrorMessage(cancel.error)}
            </Alert>
          ) : null}
          <Group>
            {isActive(data.status) ? (
              <Button variant="default" color="red" onClick={() => cancel.mutate()} loading={cancel.isPending}>
                {t('timetable.generate.cancel')}
              </Button>
            ) : (
              <Button variant="default" onClick={onRestart}>
                {t('timetable.generate.again')}
              </Button>
            )}
          </Group>
          {data.status === 'succeeded' && data.result ? <Preview job={data} result={data.result} /> : null}
        </Stack>
      )}
    </QueryState>
  );
}

function JobProgress({ job }: { job: Job }) {
  const { placed, total, hardViolations, softPenalty, elapsedMs } = job.progress;
  const percent = total > 0 ? Math.round((placed / total) * 100) : 0;
  const status = job.status === 'failed' ? t('timetable.generate.status.failed', { error: job.error ?? '' }) : t(`timetable.generate.status.${job.status}`);
  return (
    <Stack gap="xs" data-testid="job-progress" data-status={job.status}>
      <Text fw={600} role="status">
        {status}
      </Text>
      <Progress.Root size="xl">
        <Progress.Section value={percent} aria-label={t('timetable.generate.progressLabel')} aria-valuetext={t('timetable.generate.placed', { placed, total })} animated={isActive(job.status)} />
      </Progress.Root>
      <Group gap="lg">
        <Text size="sm" data-testid="job-placed">
          {t('timetable.generate.placed', { placed, total })}
        </Text>
        <Text size="sm">{t('timetable.generate.score', { hard: hardViolations, soft: softPenalty })}</Text>
        <Text size="sm" data-testid="job-elapsed">
          {t('timetable.generate.elapsed', { seconds: (elapsedMs / 1000).toFixed(1) })}
        </Text>
      </Group>
    </Stack>
  );
}

/** Names for the ids a job's result carries. */
function useNames() {
  const classes = useTargets('class');
  const teachers = useTargets('teacher');
  const rooms = useTargets('room');
  const subjects = useQuery({
    queryKey: ['timetable-editor', 'subjects'],
    queryFn: () => unwrap(api.GET('/api/subjects', { params: { query: { limit: 200 } } })),
  });
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const option of [...(classes.data ?? []), ...(teachers.data ?? []), ...(rooms.data ?? [])]) names.set(option.value, option.label);
    for (const subject of subjects.data?.items ?? []) names.set(subject.id, subject.name);
    return (id: string) => names.get(id) ?? t('timetable.generate.unknown');
  }, [classes.data, teachers.data, rooms.data, subjects.data]);
}

/** The chosen class's current week beside the proposed one, what could not be placed, and Apply. */
function Preview({ job, result }: { job: Job; result: Result }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const name = useNames();
  const bell = useBellSchedule();
  const lessons = useAllLessons();
  const classes = useTargets('class');
  // The job's classes in the school's order (by grade, then name), the first shown to begin with.
  const options = (classes.data ?? []).filter((option) => job.classIds.includes(option.value));
  const [chosen, setChosen] = useState<string | null>(null);
  const classId = chosen ?? options[0]?.value ?? null;
  const apply = useMutation({
    mutationFn: () => unwrap(api.POST('/api/timetables/jobs/{id}/apply', { params: { path: { id: job.id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: LESSONS_KEY });
      void queryClient.invalidateQueries({ queryKey: ['classes'] });
      navigate(`/admin/timetable?kind=class&id=${classId ?? ''}`);
    },
  });

  return (
    <Stack>
      <Title order={2}>{t('timetable.generate.preview')}</Title>
      <Select
        label={t('timetable.generate.previewClass')}
        data={options}
        value={classId}
        onChange={setChosen}
        allowDeselect={false}
        searchable
        maw={360}
      />
      <QueryState query={bell}>
        {(schedule) => (
          <QueryState query={lessons}>
            {(all) => (classId ? <SideBySide bell={schedule} current={all.filter((lesson) => lesson.class.id === classId)} proposed={result.lessons.filter((lesson) => lesson.classId === classId)} name={name} /> : null)}
          </QueryState>
        )}
      </QueryState>
      <Title order={3}>{t('timetable.generate.unplaced')}</Title>
      {result.unplaced.length === 0 ? (
        <Text>{t('timetable.generate.allPlaced')}</Text>
      ) : (
        <List>
          {result.unplaced.map((entry) => (
            <List.Item key={`${entry.classId}:${entry.subjectId}:${entry.teacherId}`}>
              {t('timetable.generate.unplacedRow', { count: entry.count, subject: name(entry.subjectId), class: name(entry.classId), teacher: name(entry.teacherId) })}: {entry.reason}
            </List.Item>
          ))}
        </List>
      )}
      {apply.error ? (
        <Alert color="red" role="alert" variant="light">
          {timetableErrorMessage(apply.error)}
        </Alert>
      ) : null}
      <Group>
        <Button onClick={() => apply.mutate()} loading={apply.isPending} disabled={job.appliedAt !== null}>
          {t('timetable.generate.apply')}
        </Button>
      </Group>
    </Stack>
  );
}

type Proposed = Result['lessons'][number];

function SideBySide({ bell, current, proposed, name }: { bell: BellSchedule; current: Lesson[]; proposed: Proposed[]; name: (id: string) => string }) {
  // The class's pinned lessons stay as they are; the result holds only the unpinned ones.
  const kept = current.filter((lesson) => lesson.pinned);
  const named: ShownLesson[] = proposed.map((lesson) => ({
    day: lesson.day,
    period: lesson.period,
    subject: { id: lesson.subjectId, name: name(lesson.subjectId), color: null },
    class: { id: lesson.classId, name: name(lesson.classId) },
    teacher: { id: lesson.teacherId, name: name(lesson.teacherId) },
    room: lesson.roomId ? { id: lesson.roomId, name: name(lesson.roomId) } : null,
  }));
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      <Stack gap="xs">
        <Title order={3}>{t('timetable.generate.current')}</Title>
        <LessonWeek days={bell.days} periods={bell.periods} lessons={current} kind="class" label={t('timetable.generate.current')} />
      </Stack>
      <Stack gap="xs">
        <Title order={3}>{t('timetable.generate.proposed')}</Title>
        <LessonWeek days={bell.days} periods={bell.periods} lessons={[...kept, ...named]} kind="class" label={t('timetable.generate.proposed')} />
      </Stack>
    </SimpleGrid>
  );
}
