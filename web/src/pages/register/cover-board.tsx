import { Badge, Button, Card, Group, Modal, MultiSelect, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { type QueryClient, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { plainMessage } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { QueryState } from '../query-state';
import { absenceErrorMessage, assignErrorMessage } from './cover-errors';
import { useDayParam } from './dates';
import { DayPicker } from './day-picker';
import { LessonLines } from './lesson-text';
import { plainList } from './plain-list';
import { Problem } from './problem';

type AbsenceItem = ResponseOf<'/api/teacher-absences', 'get'>['items'][number];
type Absence = ResponseOf<'/api/teacher-absences/{id}', 'get'>;
type AffectedLesson = Absence['lessons'][number];
type Suggestion = ResponseOf<'/api/cover/suggestions', 'get'>['suggestions'][number];

/** Suggestions shown before "show all": the best few are what an admin picks from. */
const TOP_SUGGESTIONS = 3;

/** Everything on the board: absences, their lessons and the suggestions all change with any cover or absence. */
const coverKey = ['cover'] as const;
const absencesKey = (date: string) => [...coverKey, 'absences', date] as const;
const absenceKey = (id: string) => [...coverKey, 'absence', id] as const;

function refreshBoard(queryClient: QueryClient) {
  return queryClient.invalidateQueries({ queryKey: coverKey });
}

/** "from 2026-11-23 to 2026-11-24, periods 1, 2" */
function absenceSpan(absence: AbsenceItem): string {
  const days = absence.from === absence.to ? absence.from : t('register.absenceRange', { from: absence.from, to: absence.to });
  return absence.periods ? `${days}, ${t('register.absencePeriods', { periods: absence.periods.join(', ') })}` : days;
}

/**
 * Puts `cover` on one lesson of an absence in the cache (null takes it off): what assigning and
 * undoing show at once, before the server has answered. Returns the absence as it was, to roll back.
 */
function setCover(queryClient: QueryClient, absenceId: string, lesson: AffectedLesson, cover: AffectedLesson['cover']): Absence | undefined {
  const previous = queryClient.getQueryData<Absence>(absenceKey(absenceId));
  if (previous) {
    queryClient.setQueryData<Absence>(absenceKey(absenceId), {
      ...previous,
      lessons: previous.lessons.map((entry) =>
        entry.date === lesson.date && entry.lesson.id === lesson.lesson.id ? { ...entry, cover, coverStatus: cover ? 'covered' : 'needed' } : entry,
      ),
    });
  }
  return previous;
}

/** One lesson of the day whose teacher is away: who covers it and Undo, or the suggested teachers each assigned with one click. */
function LessonCover({ absenceId, entry }: { absenceId: string; entry: AffectedLesson }) {
  const queryClient = useQueryClient();
  const [showAll, setShowAll] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const { lesson, date, cover } = entry;
  const suggestions = useQuery({
    queryKey: [...coverKey, 'suggestions', lesson.id, date],
    queryFn: () => unwrap(api.GET('/api/cover/suggestions', { params: { query: { lessonId: lesson.id, date } } })),
    enabled: cover === null,
  });
  const rollback = (previous: Absence | undefined) => previous && queryClient.setQueryData(absenceKey(absenceId), previous);

  const assign = useMutation({
    mutationFn: (teacher: Suggestion['teacher']) => unwrap(api.POST('/api/cover', { body: { lessonId: lesson.id, date, coverTeacherId: teacher.id } })),
    onMutate: async (teacher) => {
      setFailed(null);
      await queryClient.cancelQueries({ queryKey: absenceKey(absenceId) });
      // A placeholder id until the server's answer: Undo waits for it (the button shows loading).
      return { previous: setCover(queryClient, absenceId, entry, { id: '', teacher }) };
    },
    onError: (error, teacher, context) => {
      rollback(context?.previous);
      setFailed(assignErrorMessage(error, teacher.name));
    },
    onSuccess: (created) => setCover(queryClient, absenceId, entry, { id: created.id, teacher: created.coverTeacher }),
    onSettled: () => refreshBoard(queryClient),
  });
  const undo = useMutation({
    mutationFn: (coverId: string) => unwrap(api.DELETE('/api/cover/{id}', { params: { path: { id: coverId } } })),
    onMutate: async () => {
      setFailed(null);
      await queryClient.cancelQueries({ queryKey: absenceKey(absenceId) });
      return { previous: setCover(queryClient, absenceId, entry, null) };
    },
    onError: (error, _coverId, context) => {
      rollback(context?.previous);
      setFailed(plainMessage(error));
    },
    onSettled: () => refreshBoard(queryClient),
  });

  const lessonName = `${lesson.subject.name} ${lesson.class.name}`;
  return (
    <Card component="li" withBorder data-testid="cover-lesson" data-status={entry.coverStatus}>
      <Stack gap="sm">
        <Group justify="space-between" align="start" wrap="nowrap">
          <LessonLines lesson={lesson} withTeacher />
          <Badge color={cover ? 'green' : 'orange'} variant="light" style={{ flexShrink: 0 }}>
            {cover ? t('register.covered') : t('register.needsCover')}
          </Badge>
        </Group>
        <Problem message={failed} />
        {cover ? (
          <Group justify="space-between">
            <Text>{t('register.coveredBy', { name: cover.teacher.name })}</Text>
            <Button variant="default" loading={!cover.id || undo.isPending} onClick={() => undo.mutate(cover.id)} aria-label={t('register.undoCoverOf', { lesson: lessonName })}>
              {t('register.undoCover')}
            </Button>
          </Group>
        ) : (
          <QueryState query={suggestions}>
            {(data) =>
              data.suggestions.length === 0 ? (
                <Text c="dimmed">{t('register.noSuggestions')}</Text>
              ) : (
                <Stack gap="xs">
                  <Text size="sm" fw={600}>
                    {t('register.suggested')}
                  </Text>
                  <Stack component="ul" gap="xs" aria-label={t('register.suggestedFor', { lesson: lessonName })} style={plainList}>
                    {data.suggestions.slice(0, showAll ? undefined : TOP_SUGGESTIONS).map((suggestion) => (
                      <Group component="li" key={suggestion.teacher.id} justify="space-between" wrap="nowrap" gap="xs">
                        <div>
                          <Text>{suggestion.teacher.name}</Text>
                          <Text size="sm" c="dimmed">
                            {suggestion.reasons.join(' · ')}
                          </Text>
                        </div>
                        <Button
                          onClick={() => assign.mutate(suggestion.teacher)}
                          disabled={assign.isPending}
                          aria-label={t('register.assignTo', { name: suggestion.teacher.name, lesson: lessonName })}
                          style={{ flexShrink: 0 }}
                        >
                          {t('register.assign')}
                        </Button>
                      </Group>
                    ))}
                  </Stack>
                  {!showAll && data.suggestions.length > TOP_SUGGESTIONS ? (
                    <Button variant="subtle" size="compact-sm" style={{ alignSelf: 'start' }} onClick={() => setShowAll(true)}>
                      {t('register.showAllSuggestions', { count: data.suggestions.length })}
                    </Button>
                  ) : null}
                </Stack>
              )
            }
          </QueryState>
        )}
      </Stack>
    </Card>
  );
}

/** The absence form; `onDone` gets the recorded absence (none when cancelled). */
function RecordAbsence({ date, onDone }: { date: string; onDone: (recorded?: Absence) => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ teacherId: '', from: date, to: date, periods: [] as string[], reason: '' });
  const teachers = useQuery({
    queryKey: ['users', { role: 'teacher', isActive: true, limit: 200 }],
    queryFn: () => unwrap(api.GET('/api/users', { params: { query: { role: 'teacher', isActive: true, limit: 200 } } })),
  });
  const bell = useQuery({ queryKey: ['bell-schedule'], queryFn: () => unwrap(api.GET('/api/bell-schedule')) });
  const teacherName = teachers.data?.items.find((teacher) => teacher.id === form.teacherId)?.name ?? '';
  const record = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/teacher-absences', {
          body: {
            teacherId: form.teacherId,
            from: form.from,
            to: form.to,
            ...(form.periods.length > 0 ? { periods: form.periods.map(Number) } : {}),
            ...(form.reason.trim() ? { reason: form.reason.trim() } : {}),
          },
        }),
      ),
    onSuccess: async (recorded) => {
      await refreshBoard(queryClient);
      onDone(recorded);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    record.mutate();
  }
  return (
    <form onSubmit={submit}>
      <Stack>
        <Problem message={record.error ? absenceErrorMessage(record.error, teacherName) : null} />
        <FormError error={teachers.error ?? bell.error} />
        <Select
          label={t('register.absentTeacher')}
          required
          searchable
          data={(teachers.data?.items ?? []).map((teacher) => ({ value: teacher.id, label: teacher.name }))}
          value={form.teacherId || null}
          onChange={(value) => setForm({ ...form, teacherId: value ?? '' })}
        />
        <Group grow align="start">
          <TextInput type="date" label={t('register.from')} required value={form.from} onChange={(event) => setForm({ ...form, from: event.currentTarget.value })} />
          <TextInput type="date" label={t('register.to')} required min={form.from} value={form.to} onChange={(event) => setForm({ ...form, to: event.currentTarget.value })} />
        </Group>
        <MultiSelect
          label={t('register.periods')}
          description={t('register.periodsHint')}
          data={(bell.data?.periods ?? []).map((period) => ({ value: String(period.number), label: t('register.periodTime', { period: period.number, start: period.start, end: period.end }) }))}
          value={form.periods}
          onChange={(periods) => setForm({ ...form, periods })}
        />
        <TextInput label={t('register.reason')} maxLength={500} value={form.reason} onChange={(event) => setForm({ ...form, reason: event.currentTarget.value })} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone()}>
            {t('register.cancel')}
          </Button>
          <Button type="submit" loading={record.isPending} disabled={!form.teacherId}>
            {t('register.recordAbsence')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteAbsence({ absence, onClose }: { absence: AbsenceItem; onClose: () => void }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/teacher-absences/{id}', { params: { path: { id: absence.id } } })),
    onSuccess: async () => {
      await refreshBoard(queryClient);
      onClose();
    },
  });
  return (
    <Stack>
      <Text>{t('register.confirmDeleteAbsence', { name: absence.teacher.name, span: absenceSpan(absence) })}</Text>
      <FormError error={remove.error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('register.cancel')}
        </Button>
        <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
          {t('register.deleteAbsence')}
        </Button>
      </Group>
    </Stack>
  );
}

function AbsentTeachers({ absences, onDelete }: { absences: AbsenceItem[]; onDelete: (absence: AbsenceItem) => void }) {
  if (absences.length === 0) return <Text c="dimmed">{t('register.noAbsences')}</Text>;
  return (
    <Stack component="ul" gap="xs" aria-label={t('register.absentTeachers')} style={plainList}>
      {absences.map((absence) => (
        <Card key={absence.id} component="li" withBorder p="sm">
          <Group justify="space-between" wrap="nowrap" align="start">
            <div>
              <Text fw={600}>{absence.teacher.name}</Text>
              <Text size="sm">{absenceSpan(absence)}</Text>
              {absence.reason ? (
                <Text size="sm" c="dimmed">
                  {absence.reason}
                </Text>
              ) : null}
            </div>
            <Button variant="subtle" color="red" onClick={() => onDelete(absence)} aria-label={t('register.deleteAbsenceOf', { name: absence.teacher.name })}>
              {t('register.delete')}
            </Button>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}

/** The lessons of `date` each absence takes out, across all of the day's absences, by period. */
function LessonsNeedingCover({ absences, date }: { absences: AbsenceItem[]; date: string }) {
  const details = useQueries({
    queries: absences.map((absence) => ({
      queryKey: absenceKey(absence.id),
      queryFn: () => unwrap(api.GET('/api/teacher-absences/{id}', { params: { path: { id: absence.id } } })),
    })),
  });
  const failed = details.find((detail) => detail.isError);
  if (failed) return <FormError error={failed.error} />;
  if (details.some((detail) => detail.isPending)) return <Text c="dimmed">{t('app.loading')}</Text>;
  const lessons = details
    .flatMap((detail) => (detail.data ? detail.data.lessons.filter((entry) => entry.date === date).map((entry) => ({ absenceId: detail.data.id, entry })) : []))
    .sort((a, b) => a.entry.lesson.period - b.entry.lesson.period || a.entry.lesson.class.name.localeCompare(b.entry.lesson.class.name));
  if (lessons.length === 0) return <Text c="dimmed">{t('register.noLessonsToCover')}</Text>;
  const needed = lessons.filter(({ entry }) => entry.cover === null).length;
  return (
    <Stack gap="xs">
      <Text role="status">{t('register.coverCount', { needed, total: lessons.length })}</Text>
      <Stack component="ul" gap="sm" aria-label={t('register.lessonsToCover')} style={plainList}>
        {lessons.map(({ absenceId, entry }) => (
          <LessonCover key={`${entry.lesson.id}|${entry.date}`} absenceId={absenceId} entry={entry} />
        ))}
      </Stack>
    </Stack>
  );
}

/** Admins: a day's absent teachers, the lessons they leave and who could take each (`?date=`, today without). */
export function CoverBoardPage() {
  const [day, setDay] = useDayParam();
  const [recording, setRecording] = useState(false);
  const [deleting, setDeleting] = useState<AbsenceItem | null>(null);
  const absences = useQuery({
    queryKey: absencesKey(day),
    queryFn: () => unwrap(api.GET('/api/teacher-absences', { params: { query: { date: day, limit: 200 } } })),
  });
  return (
    <Stack>
      <Group justify="space-between" align="end">
        <Title order={1}>{t('register.coverTitle')}</Title>
        <Button onClick={() => setRecording(true)}>{t('register.recordAbsence')}</Button>
      </Group>
      <DayPicker day={day} onChange={setDay} />
      <Title order={2} size="h3">
        {t('register.absentTeachers')}
      </Title>
      <QueryState query={absences}>{(page) => <AbsentTeachers absences={page.items} onDelete={setDeleting} />}</QueryState>
      <Title order={2} size="h3">
        {t('register.lessonsToCover')}
      </Title>
      <QueryState query={absences}>{(page) => <LessonsNeedingCover absences={page.items} date={day} />}</QueryState>
      <Modal opened={recording} onClose={() => setRecording(false)} title={t('register.recordAbsenceTitle')}>
        {recording ? (
          <RecordAbsence
            date={day}
            onDone={(recorded) => {
              setRecording(false);
              // An absence on other days is shown on its first day, not left out of sight.
              if (recorded && (day < recorded.from || day > recorded.to)) setDay(recorded.from);
            }}
          />
        ) : null}
      </Modal>
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title={t('register.deleteAbsenceTitle')}>
        {deleting ? <DeleteAbsence absence={deleting} onClose={() => setDeleting(null)} /> : null}
      </Modal>
    </Stack>
  );
}
