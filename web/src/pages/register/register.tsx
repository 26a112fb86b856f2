import { Alert, Badge, Box, Button, Card, Group, Modal, NumberInput, Stack, Text, TextInput, Title, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { memo, useCallback, useEffect, useState } from 'react';
import { useBlocker, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { isoDay } from '../../lib/iso-day';
import { formatDateTime } from '../assignments/format';
import { FormError } from '../form-error';
import { QueryState } from '../query-state';
import { useDayParam } from './dates';
import { DayPicker } from './day-picker';
import { LessonLines } from './lesson-text';
import {
  countStatuses,
  type Draft,
  type DraftMark,
  draftOf,
  hasUnsavedChanges,
  marksBody,
  nextStatus,
  type Register,
  type RegisterEntry,
  type Status,
  sameMarks,
  takenRegister,
} from './marks';
import { plainList } from './plain-list';
import { Problem } from './problem';
import { registerQuery } from './register-query';

const STATUS_COLOR: Record<Status, string> = { present: 'green', absent: 'red', late: 'orange', excused: 'blue' };
const STATUSES: Status[] = ['present', 'absent', 'late', 'excused'];

function statusText(status: Status): string {
  return t(`attendance.status.${status}`);
}

interface StudentRowProps {
  entry: RegisterEntry;
  mark: DraftMark;
  onChange: (studentId: string, change: Partial<DraftMark>) => void;
}

/**
 * One student: the whole row is one large button that moves the mark on (present → absent → late),
 * minutes appear for late, a note on request. Memoised: a tap redraws only its own row.
 */
const StudentRow = memo(function StudentRow({ entry, mark, onChange }: StudentRowProps) {
  const { id, name } = entry.student;
  const [noteOpen, setNoteOpen] = useState(mark.note !== '');
  const status = statusText(mark.status);
  return (
    <Card component="li" withBorder p={0} data-status={mark.status}>
      <UnstyledButton
        onClick={() => onChange(id, { status: nextStatus(mark.status, entry.knownAbsence !== null) })}
        p="md"
        mih={56}
        w="100%"
        style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 'var(--mantine-spacing-sm)' }}
      >
        <Text component="span" fw={600}>
          {name}
        </Text>
        {/* Read out as "Amy Able, Absent": the name and the mark are the button's name. */}
        <VisuallyHidden>, </VisuallyHidden>
        <Badge size="lg" color={STATUS_COLOR[mark.status]} variant={mark.status === 'present' || mark.status === 'late' ? 'light' : 'filled'} style={{ flexShrink: 0 }}>
          {status}
        </Badge>
      </UnstyledButton>
      <Stack gap="xs" px="md" pb={entry.knownAbsence || mark.status === 'late' || noteOpen ? 'md' : 0}>
        {entry.knownAbsence ? (
          <Text size="sm" c="dimmed">
            {t('register.knownAbsence', { reason: entry.knownAbsence.reason })}
          </Text>
        ) : null}
        {mark.status === 'late' ? (
          <NumberInput
            label={t('register.minutesLate')}
            aria-label={t('register.minutesLateFor', { name })}
            min={1}
            max={600}
            allowDecimal={false}
            hideControls
            value={mark.minutesLate}
            onChange={(value) => onChange(id, { minutesLate: typeof value === 'number' ? value : '' })}
          />
        ) : null}
        {noteOpen ? (
          <TextInput label={t('register.note')} aria-label={t('register.noteFor', { name })} maxLength={500} value={mark.note} onChange={(event) => onChange(id, { note: event.currentTarget.value })} />
        ) : null}
      </Stack>
      {noteOpen ? null : (
        <Button variant="subtle" size="sm" mx="md" mb="xs" style={{ alignSelf: 'start' }} onClick={() => setNoteOpen(true)} aria-label={t('register.addNoteFor', { name })}>
          {t('register.addNote')}
        </Button>
      )}
    </Card>
  );
});

/** Who took the register and when (shown as taken from the moment Save is pressed), and whether the page holds more. */
function SavedState({ register, saving, unsaved }: { register: Register; saving: boolean; unsaved: boolean }) {
  const { takenBy, takenAt, updatedAt } = register;
  return (
    <Group gap="xs" role="status">
      <Text size="sm" data-testid="register-taken">
        {register.taken && takenBy && takenAt
          ? t('register.takenBy', { name: takenBy.name, when: formatDateTime(takenAt) }) +
            (updatedAt && updatedAt !== takenAt ? ` ${t('register.updatedAt', { when: formatDateTime(updatedAt) })}` : '')
          : t('register.notTaken')}
      </Text>
      {saving ? (
        <Badge color="gray" variant="light">
          {t('register.saving')}
        </Badge>
      ) : register.taken && unsaved ? (
        <Badge color="orange" variant="light">
          {t('register.unsaved')}
        </Badge>
      ) : null}
    </Group>
  );
}

/** Leaving with taps not saved asks first (in the app and when the tab is closed): a register is easily lost on a phone. */
function LeaveGuard({ active }: { active: boolean }) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => active && currentLocation.pathname + currentLocation.search !== nextLocation.pathname + nextLocation.search);
  useEffect(() => {
    if (!active) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [active]);
  return (
    <Modal opened={blocker.state === 'blocked'} onClose={() => blocker.reset?.()} title={t('register.leaveTitle')}>
      <Stack>
        <Text>{t('register.leaveText')}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => blocker.proceed?.()}>
            {t('register.leave')}
          </Button>
          <Button onClick={() => blocker.reset?.()}>{t('register.stay')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * The marks of one register being taken. Saving shows the register as saved at once (the teacher's
 * list of today reads the same cache and shows it taken); a failure puts the saved register back
 * and keeps the taps, so saving again is one press.
 */
function RegisterSheet({ register }: { register: Register }) {
  const { user } = useAccount();
  const queryClient = useQueryClient();
  const { queryKey } = registerQuery(register.lesson.id, register.date);
  const [draft, setDraft] = useState<Draft>(() => draftOf(register));
  // A newer register from the server (a refetch, the answer to a save) replaces the draft unless the
  // teacher has tapped something since the one it was made from.
  const [base, setBase] = useState(register);
  if (register !== base) {
    setBase(register);
    if (sameMarks(draftOf(base), draft)) setDraft(draftOf(register));
  }
  const change = useCallback((studentId: string, update: Partial<DraftMark>) => {
    setDraft((current) => {
      const mark = current[studentId];
      return mark ? { ...current, [studentId]: { ...mark, ...update } } : current;
    });
  }, []);

  const save = useMutation({
    mutationFn: (marks: Draft) =>
      unwrap(api.PUT('/api/schedules/{lessonId}/attendance', { params: { path: { lessonId: register.lesson.id }, query: { date: register.date } }, body: marksBody(marks) })),
    onMutate: async () => {
      await queryClient.cancelQueries({ queryKey });
      const previous = queryClient.getQueryData(queryKey);
      if (previous) queryClient.setQueryData(queryKey, takenRegister(previous, user, new Date().toISOString()));
      return { previous };
    },
    onError: (_error, _marks, context) => {
      if (context?.previous) queryClient.setQueryData(queryKey, context.previous);
    },
    onSuccess: (saved) => queryClient.setQueryData(queryKey, saved),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['attendance', 'missing'] }),
  });

  const unsaved = hasUnsavedChanges(register, draft);
  const tapped = !save.isPending && !sameMarks(draftOf(register), draft);
  const counts = countStatuses(draft);
  return (
    <Stack>
      <LeaveGuard active={tapped} />
      <SavedState register={register} saving={save.isPending} unsaved={unsaved} />
      {register.students.length === 0 ? (
        <Text c="dimmed">{t('register.noStudents')}</Text>
      ) : (
        <Text size="sm" c="dimmed">
          {t('register.tapHint')}
        </Text>
      )}
      <Stack component="ul" gap="xs" aria-label={t('register.students')} style={plainList}>
        {register.students.map((entry) => {
          const mark = draft[entry.student.id];
          return mark ? <StudentRow key={entry.student.id} entry={entry} mark={mark} onChange={change} /> : null;
        })}
      </Stack>
      <Box pos="sticky" bottom={0} py="sm" bg="var(--mantine-color-body)" style={{ zIndex: 2, borderTop: '1px solid var(--mantine-color-default-border)' }}>
        <Stack gap="xs">
          <FormError error={save.error} />
          {save.isSuccess && !unsaved ? (
            <Alert color="green" variant="light" py="xs">
              {t('register.saved')}
            </Alert>
          ) : null}
          <Text size="sm" data-testid="register-counts">
            {STATUSES.map((status) => t('register.count', { count: counts[status], status: statusText(status) })).join(' · ')}
          </Text>
          <Button size="lg" fullWidth onClick={() => save.mutate(draft)} loading={save.isPending} disabled={register.students.length === 0}>
            {register.taken ? t('register.saveChanges') : t('register.save')}
          </Button>
        </Stack>
      </Box>
    </Stack>
  );
}

/** A date the lesson does not take place on (another weekday, a holiday, a day to come): 400 on `date`, the server's reason in its message. */
function isDateProblem(error: unknown): error is ApiError {
  return error instanceof ApiError && error.body.code === 'VALIDATION_ERROR' && (error.body.details ?? []).some((detail) => detail.field === 'date');
}

/** The register of one lesson on one date (`?date=`, today without): teachers take it on a phone, admins too. */
export function RegisterPage() {
  const { lessonId = '' } = useParams();
  const [day, setDay] = useDayParam();
  const register = useQuery({ ...registerQuery(lessonId, day), staleTime: 0 });
  return (
    <Stack maw={640}>
      <Title order={1}>{t('register.title')}</Title>
      {register.data ? <LessonLines lesson={register.data.lesson} withTeacher /> : null}
      <DayPicker day={day} onChange={setDay} max={isoDay()} step="week" />
      {isDateProblem(register.error) ? (
        <Problem message={t('register.noLessonThatDay', { date: day, reason: register.error.body.message })} />
      ) : (
        <QueryState query={register}>{(data) => <RegisterSheet key={`${lessonId}|${day}`} register={data} />}</QueryState>
      )}
    </Stack>
  );
}
