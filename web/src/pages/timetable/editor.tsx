import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { QueryState } from '../query-state';
import { EditorGrid } from './editor-grid';
import { type BellSchedule, type Booking, clashesAt, type Day, isTargetKind, type Lesson, lessonsBySlot, TARGET_KINDS, type TargetKind, targetOf, withChange } from './lessons';
import { LESSONS_KEY, useAllLessons, useBellSchedule } from './queries';
import { useTargets } from './targets';
import { conflictSentence, slotName, timetableErrorMessage } from './wording';

type Clashes = (booking: Booking, day: Day, period: number) => ReturnType<typeof clashesAt>;

/**
 * The admin's timetable editor: the week of one class, teacher or room (chosen in the address),
 * lessons moved by dragging or through their menu, pinned, added from the curriculum and deleted.
 */
export function TimetableEditorPage() {
  const [params, setParams] = useSearchParams();
  const requestedKind = params.get('kind');
  const kind: TargetKind = isTargetKind(requestedKind) ? requestedKind : 'class';
  const targets = useTargets(kind);
  const id = params.get('id') ?? '';
  const bell = useBellSchedule();
  const lessons = useAllLessons();

  // Without a choice in the address the first class (teacher, room) is shown, not an empty page.
  const first = targets.data?.[0]?.value;
  useEffect(() => {
    if (!id && first) setParams({ kind, id: first }, { replace: true });
  }, [id, first, kind, setParams]);

  const slots = useMemo(() => lessonsBySlot(lessons.data ?? []), [lessons.data]);
  const clashes = useCallback<Clashes>((booking, day, period) => clashesAt(booking, day, period, slots), [slots]);
  const name = targets.data?.find((option) => option.value === id)?.label ?? '';

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('timetable.editor.title')}</Title>
        <Group gap="xs">
          <Button component={Link} to="/admin/timetable/generate">
            {t('timetable.editor.generate')}
          </Button>
          <Button variant="default" component={Link} to={`/admin/timetable/print?kind=${kind}`}>
            {t('timetable.editor.print')}
          </Button>
        </Group>
      </Group>
      <Group align="end">
        <SegmentedControl
          aria-label={t('timetable.editor.kind')}
          value={kind}
          onChange={(value) => setParams({ kind: value })}
          data={TARGET_KINDS.map((value) => ({ value, label: t(`timetable.kind.${value}`) }))}
        />
        <Select
          label={t(`timetable.pick.${kind}`)}
          searchable
          data={targets.data ?? []}
          value={id || null}
          onChange={(value) => value && setParams({ kind, id: value })}
          nothingFoundMessage={t('timetable.editor.nothingFound')}
          style={{ flex: 1, minWidth: 200, maxWidth: 360 }}
        />
      </Group>
      <QueryState query={targets}>
        {(options) => (options.length === 0 ? <Text>{t(`timetable.editor.none.${kind}`)}</Text> : null)}
      </QueryState>
      <QueryState query={bell}>
        {(schedule) => (
          <QueryState query={lessons}>
            {(all) =>
              id ? (
                <TargetWeek key={`${kind}:${id}`} kind={kind} id={id} name={name} bell={schedule} lessons={all} clashes={clashes} />
              ) : null
            }
          </QueryState>
        )}
      </QueryState>
    </Stack>
  );
}

interface TargetWeekProps {
  kind: TargetKind;
  id: string;
  name: string;
  bell: BellSchedule;
  lessons: Lesson[];
  clashes: Clashes;
}

/** One class's (teacher's, room's) week with everything that changes it. */
function TargetWeek({ kind, id, name, bell, lessons, clashes }: TargetWeekProps) {
  const shown = useMemo(() => lessons.filter((lesson) => targetOf(lesson, kind)?.id === id), [lessons, kind, id]);
  const [failure, setFailure] = useState<unknown>(null);
  const [moving, setMoving] = useState<Lesson | null>(null);
  const [deleting, setDeleting] = useState<Lesson | null>(null);
  const [adding, setAdding] = useState<{ day: Day; period: number } | null>(null);

  const move = useLessonChange(
    ({ lesson, day, period }: { lesson: Lesson; day: Day; period: number }) =>
      unwrap(api.PATCH('/api/schedules/{id}', { params: { path: { id: lesson.id } }, body: { day, period } })),
    ({ lesson, day, period }) => withChange(lesson, { day, period }, bell),
    setFailure,
  );
  const pin = useLessonChange(
    ({ lesson }: { lesson: Lesson }) => unwrap(api.PATCH('/api/schedules/{id}', { params: { path: { id: lesson.id } }, body: { pinned: !lesson.pinned } })),
    ({ lesson }) => withChange(lesson, { pinned: !lesson.pinned }, bell),
    setFailure,
  );
  const remove = useLessonChange(
    async ({ lesson }: { lesson: Lesson }) => {
      await unwrap(api.DELETE('/api/schedules/{id}', { params: { path: { id: lesson.id } } }));
      return null;
    },
    () => null,
    setFailure,
  );

  const moveLesson = (lesson: Lesson, day: Day, period: number) => {
    setFailure(null);
    move.mutate({ lesson, day, period });
  };

  return (
    <Stack>
      {failure ? (
        <Alert color="red" role="alert" variant="light" withCloseButton onClose={() => setFailure(null)} closeButtonLabel={t('timetable.editor.dismiss')}>
          {timetableErrorMessage(failure)}
        </Alert>
      ) : null}
      {shown.length === 0 ? <Text role="status">{t('timetable.editor.empty')}</Text> : null}
      <EditorGrid
        days={bell.days}
        periods={bell.periods}
        lessons={shown}
        kind={kind}
        label={t(`timetable.weekOf.${kind}`, { name })}
        clashes={clashes}
        onMove={moveLesson}
        onMoveTo={setMoving}
        onTogglePin={(lesson) => {
          setFailure(null);
          pin.mutate({ lesson });
        }}
        onDelete={setDeleting}
        onAdd={kind === 'class' ? (day, period) => setAdding({ day, period }) : undefined}
      />
      <Modal opened={moving !== null} onClose={() => setMoving(null)} title={t('timetable.move.title', { lesson: moving?.subject.name ?? '' })}>
        {moving ? (
          <MoveForm
            lesson={moving}
            bell={bell}
            clashes={clashes}
            onMove={(day, period) => {
              setMoving(null);
              moveLesson(moving, day, period);
            }}
          />
        ) : null}
      </Modal>
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title={t('timetable.delete.title')}>
        {deleting ? (
          <Stack>
            <Text>{t('timetable.delete.confirm', { lesson: deleting.subject.name, class: deleting.class.name, slot: slotName(deleting.day, deleting.period) })}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeleting(null)}>
                {t('timetable.cancel')}
              </Button>
              <Button
                color="red"
                onClick={() => {
                  setFailure(null);
                  remove.mutate({ lesson: deleting });
                  setDeleting(null);
                }}
              >
                {t('timetable.delete.submit')}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
      <Modal opened={adding !== null} onClose={() => setAdding(null)} title={adding ? t('timetable.add.title', { slot: slotName(adding.day, adding.period) }) : ''}>
        {adding ? <AddForm classId={id} className={name} slot={adding} clashes={clashes} onAdded={() => setAdding(null)} /> : null}
      </Modal>
    </Stack>
  );
}

/**
 * A change to one lesson shown at once (optimistic); if the server refuses, that lesson alone is
 * put back as it was, so another change made meanwhile stays. The server's answer then replaces
 * the guess. `change` gives the lesson as it will be, or null when it goes away.
 */
function useLessonChange<V extends { lesson: Lesson }>(call: (vars: V) => Promise<Lesson | null>, change: (vars: V) => Lesson | null, onFailure: (error: unknown) => void) {
  const queryClient = useQueryClient();
  const put = (id: string, next: Lesson | null) =>
    queryClient.setQueryData<Lesson[]>(LESSONS_KEY, (all) => {
      if (!all) return all;
      const others = all.filter((lesson) => lesson.id !== id);
      return next ? [...others, next] : others;
    });
  return useMutation({
    mutationFn: call,
    onMutate: async (vars: V) => {
      await queryClient.cancelQueries({ queryKey: LESSONS_KEY });
      put(vars.lesson.id, change(vars));
    },
    onError: (error, vars) => {
      put(vars.lesson.id, vars.lesson);
      onFailure(error);
    },
    onSuccess: (answer, vars) => {
      if (answer) put(vars.lesson.id, answer);
      // The curriculum's scheduled counts change when a lesson goes.
      else void queryClient.invalidateQueries({ queryKey: ['classes'] });
    },
  });
}

/** What a slot would clash with, said before anything is sent. */
function ClashNotice({ booking, day, period, clashes }: { booking: Booking | null; day: Day | null; period: number | null; clashes: Clashes }) {
  if (!booking || !day || period === null) return null;
  const conflicts = clashes(booking, day, period);
  if (conflicts.length === 0) return <Text size="sm">{t('timetable.move.free', { slot: slotName(day, period) })}</Text>;
  return (
    <Alert color="orange" variant="light" title={t('timetable.move.clashTitle')}>
      {conflicts.map(conflictSentence).join(' ')}
    </Alert>
  );
}

function SlotSelects({ bell, day, period, onDay, onPeriod }: { bell: BellSchedule; day: Day | null; period: number | null; onDay: (day: Day) => void; onPeriod: (period: number) => void }) {
  return (
    <Group grow>
      <Select label={t('timetable.move.day')} data={bell.days.map((value) => ({ value, label: t(`day.${value}`) }))} value={day} onChange={(value) => value && onDay(value as Day)} allowDeselect={false} />
      <Select
        label={t('timetable.move.period')}
        data={bell.periods.map((entry) => ({ value: String(entry.number), label: t('timetable.periodOption', { number: entry.number, start: entry.start, end: entry.end }) }))}
        value={period === null ? null : String(period)}
        onChange={(value) => value && onPeriod(Number(value))}
        allowDeselect={false}
      />
    </Group>
  );
}

/** "Move to…": the way without dragging, with the same clash check before sending. */
function MoveForm({ lesson, bell, clashes, onMove }: { lesson: Lesson; bell: BellSchedule; clashes: Clashes; onMove: (day: Day, period: number) => void }) {
  const [day, setDay] = useState<Day>(lesson.day);
  const [period, setPeriod] = useState(lesson.period);
  const unchanged = day === lesson.day && period === lesson.period;
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!unchanged) onMove(day, period);
  }
  return (
    <form onSubmit={submit}>
      <Stack>
        <Text size="sm">{t('timetable.move.from', { lesson: lesson.subject.name, class: lesson.class.name, slot: slotName(lesson.day, lesson.period) })}</Text>
        <SlotSelects bell={bell} day={day} period={period} onDay={setDay} onPeriod={setPeriod} />
        {unchanged ? null : <ClashNotice booking={lesson} day={day} period={period} clashes={clashes} />}
        <Group justify="flex-end">
          <Button type="submit" disabled={unchanged}>
            {t('timetable.move.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A lesson for an empty slot of a class's week, from the curriculum rows that still miss periods. */
function AddForm({ classId, className, slot, clashes, onAdded }: { classId: string; className: string; slot: { day: Day; period: number }; clashes: Clashes; onAdded: () => void }) {
  const queryClient = useQueryClient();
  const curriculum = useQuery({
    queryKey: ['classes', classId, 'subjects'],
    queryFn: () => unwrap(api.GET('/api/classes/{id}/subjects', { params: { path: { id: classId } } })),
    staleTime: 0,
  });
  const [subjectId, setSubjectId] = useState<string | null>(null);
  const missing = (curriculum.data ?? []).filter((row) => row.scheduled < row.periodsPerWeek);
  const row = missing.find((entry) => entry.subject.id === subjectId);
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/schedules', {
          body: { classId, subjectId: row!.subject.id, teacherId: row!.teacher.id, roomId: row!.room?.id ?? null, day: slot.day, period: slot.period },
        }),
      ),
    onSuccess: (lesson) => {
      queryClient.setQueryData<Lesson[]>(LESSONS_KEY, (all) => all && [...all, lesson]);
      void queryClient.invalidateQueries({ queryKey: ['classes'] });
      onAdded();
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (row) add.mutate();
  }
  const booking: Booking | null = row ? { class: { id: classId, name: className }, teacher: row.teacher, room: row.room } : null;
  return (
    <QueryState query={curriculum}>
      {() =>
        missing.length === 0 ? (
          <Text>{t('timetable.add.nothingMissing')}</Text>
        ) : (
          <form onSubmit={submit}>
            <Stack>
              {add.error ? (
                <Alert color="red" role="alert" variant="light">
                  {timetableErrorMessage(add.error)}
                </Alert>
              ) : null}
              <Select
                label={t('timetable.add.subject')}
                data={missing.map((entry) => ({
                  value: entry.subject.id,
                  label: t('timetable.add.row', { subject: entry.subject.name, teacher: entry.teacher.name, missing: entry.periodsPerWeek - entry.scheduled }),
                }))}
                value={subjectId}
                onChange={setSubjectId}
              />
              <ClashNotice booking={booking} day={slot.day} period={slot.period} clashes={clashes} />
              <Group justify="flex-end">
                <Button type="submit" disabled={!row} loading={add.isPending}>
                  {t('timetable.add.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        )
      }
    </QueryState>
  );
}
