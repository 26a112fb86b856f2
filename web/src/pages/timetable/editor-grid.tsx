import {
  type Announcements,
  closestCenter,
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragOverEvent,
  type DragStartEvent,
  KeyboardSensor,
  type KeyboardCoordinateGetter,
  MouseSensor,
  TouchSensor,
  type UniqueIdentifier,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { ActionIcon, Button, Group, Menu, Paper, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { type ReactNode, useMemo, useRef, useState } from 'react';
import { t } from '../../i18n';
import { type Conflict, type Day, type Lesson, type Period, parseSlotKey, slotKey, type TargetKind } from './lessons';
import { LessonText, PinnedBadge, WeekTable } from './week-table';
import { conflictSentence, slotName } from './wording';

export interface EditorGridProps {
  days: readonly Day[];
  periods: readonly Period[];
  /** The lessons of the class, teacher or room the grid is about. */
  lessons: readonly Lesson[];
  kind: TargetKind;
  label: string;
  /** What moving `lesson` to (day, period) would clash with; asked of every cell when a drag starts. */
  clashes: (lesson: Lesson, day: Day, period: number) => Conflict[];
  onMove: (lesson: Lesson, day: Day, period: number) => void;
  /** The lesson's menu: the ways that need no dragging. */
  onMoveTo: (lesson: Lesson) => void;
  onTogglePin: (lesson: Lesson) => void;
  onDelete: (lesson: Lesson) => void;
  /** Offered in empty cells when given (a class's week: a lesson from its curriculum). */
  onAdd?: (day: Day, period: number) => void;
}

/** A drop target's state while a lesson is dragged: where it came from, free, or taken. */
type TargetState = 'origin' | 'free' | 'clash';

const ARROW_STEPS: Record<string, readonly [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

function lessonOf(data: { current?: Record<string, unknown> } | undefined): Lesson | null {
  return (data?.current?.lesson as Lesson | undefined) ?? null;
}

/**
 * The arrow keys move a picked-up lesson one cell at a time (dnd-kit's default moves it by pixels):
 * the next day or period from the cell it is over, centred in that cell so it becomes the target.
 */
function cellByCell(grid: { current: { days: readonly Day[]; periods: readonly Period[] } }): KeyboardCoordinateGetter {
  return (event, { active, context }) => {
    const step = ARROW_STEPS[event.code];
    const { collisionRect, droppableRects, over, draggableNodes } = context;
    const dragged = lessonOf(draggableNodes.get(active)?.data);
    if (!step || !collisionRect || !dragged) return undefined;
    event.preventDefault();
    const { days, periods } = grid.current;
    const from = over ? parseSlotKey(String(over.id)) : { day: dragged.day, period: dragged.period };
    const dayIndex = Math.min(days.length - 1, Math.max(0, days.indexOf(from.day) + step[0]));
    const periodIndex = Math.min(periods.length - 1, Math.max(0, periods.findIndex((period) => period.number === from.period) + step[1]));
    const day = days[dayIndex];
    const period = periods[periodIndex];
    const rect = day && period ? droppableRects.get(slotKey(day, period.number)) : undefined;
    if (!rect) return undefined;
    return { x: rect.left + (rect.width - collisionRect.width) / 2, y: rect.top + (rect.height - collisionRect.height) / 2 };
  };
}

/**
 * The editor's week: drag a lesson (mouse, touch, or keyboard: space, arrows, space) to another
 * cell. While one is dragged every cell says whether it is free or would clash, before the drop.
 */
export function EditorGrid(props: EditorGridProps) {
  const { days, periods, lessons, kind, label, clashes, onMove, onAdd } = props;
  const grid = useRef({ days, periods });
  grid.current = { days, periods };
  const [dragged, setDragged] = useState<Lesson | null>(null);
  const [over, setOver] = useState<UniqueIdentifier | null>(null);
  const coordinateGetter = useMemo(() => cellByCell(grid), []);
  const sensors = useSensors(
    // A small move before a drag starts, so a click on a lesson stays a click.
    useSensor(MouseSensor, { activationConstraint: { distance: 4 } }),
    // A touch held a moment, so a swipe still scrolls the week sideways on a phone.
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter }),
  );

  // Worked out once per drag for the whole grid, not per cell per pointer move.
  const targets = useMemo(() => {
    if (!dragged) return null;
    const states = new Map<string, TargetState>();
    for (const day of days) {
      for (const period of periods) {
        const origin = day === dragged.day && period.number === dragged.period;
        states.set(slotKey(day, period.number), origin ? 'origin' : clashes(dragged, day, period.number).length > 0 ? 'clash' : 'free');
      }
    }
    return states;
  }, [dragged, days, periods, clashes]);

  const bySlot = useMemo(() => new Map(lessons.map((lesson) => [slotKey(lesson.day, lesson.period), lesson])), [lessons]);

  const describeTarget = (key: UniqueIdentifier | null | undefined, lesson: Lesson | null): string => {
    if (!key || !lesson) return t('timetable.drag.outside');
    const { day, period } = parseSlotKey(String(key));
    const conflicts = clashes(lesson, day, period);
    return conflicts.length === 0
      ? t('timetable.drag.free', { slot: slotName(day, period) })
      : t('timetable.drag.clash', { slot: slotName(day, period), why: conflicts.map(conflictSentence).join(' ') });
  };

  const announcements: Announcements = {
    onDragStart: ({ active }) => {
      const lesson = lessonOf(active.data);
      return lesson ? t('timetable.drag.picked', { lesson: lesson.subject.name, slot: slotName(lesson.day, lesson.period) }) : undefined;
    },
    onDragOver: ({ active, over: target }) => describeTarget(target?.id, lessonOf(active.data)),
    onDragEnd: ({ over: target }) => {
      if (!target) return t('timetable.drag.cancelled');
      const { day, period } = parseSlotKey(String(target.id));
      return t('timetable.drag.dropped', { slot: slotName(day, period) });
    },
    onDragCancel: () => t('timetable.drag.cancelled'),
  };

  function start(event: DragStartEvent) {
    setDragged(lessonOf(event.active.data));
  }
  function move(event: DragOverEvent) {
    setOver(event.over?.id ?? null);
  }
  function end(event: DragEndEvent) {
    const lesson = lessonOf(event.active.data);
    setDragged(null);
    setOver(null);
    if (!lesson || !event.over) return;
    const { day, period } = parseSlotKey(String(event.over.id));
    if (day !== lesson.day || period !== lesson.period) onMove(lesson, day, period);
  }
  function cancel() {
    setDragged(null);
    setOver(null);
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragStart={start}
      onDragOver={move}
      onDragEnd={end}
      onDragCancel={cancel}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t('timetable.drag.instructions') } }}
    >
      <Stack gap="xs">
        {/* Not a live region: dnd-kit announces the same to screen readers itself. */}
        <Text size="sm" mih={44} data-testid="drag-status">
          {dragged ? describeTarget(over, dragged) : t('timetable.grid.hint')}
        </Text>
        <WeekTable
          days={days}
          periods={periods}
          label={label}
          renderCell={(day, period) => {
            const key = slotKey(day, period.number);
            const lesson = bySlot.get(key);
            return (
              <SlotCell key={key} slot={key} target={targets?.get(key)}>
                {lesson ? (
                  <LessonCard lesson={lesson} {...props} />
                ) : onAdd ? (
                  <Button variant="subtle" size="compact-xs" onClick={() => onAdd(day, period.number)} aria-label={t('timetable.grid.addAt', { slot: slotName(day, period.number) })}>
                    {t('timetable.grid.add')}
                  </Button>
                ) : null}
              </SlotCell>
            );
          }}
        />
      </Stack>
      <DragOverlay>
        {dragged ? (
          <Paper withBorder shadow="md" p={6} radius="sm">
            <LessonText lesson={dragged} kind={kind} />
          </Paper>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}

const TARGET_LOOK: Record<TargetState, { background: string; color: string }> = {
  origin: { background: 'var(--mantine-color-gray-light)', color: 'var(--mantine-color-gray-light-color)' },
  free: { background: 'var(--mantine-color-green-light)', color: 'var(--mantine-color-green-light-color)' },
  clash: { background: 'var(--mantine-color-red-light)', color: 'var(--mantine-color-red-light-color)' },
};

/** One slot, a drop target; while a lesson is dragged it is tinted and says "Free" or "Clash" (not by colour alone). */
function SlotCell({ slot, target, children }: { slot: string; target: TargetState | undefined; children: ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id: slot });
  const look = target ? TARGET_LOOK[target] : null;
  return (
    <Table.Td
      ref={setNodeRef}
      data-slot={slot}
      data-target={target}
      style={{
        position: 'relative',
        verticalAlign: 'top',
        height: 72,
        background: look?.background,
        outline: isOver ? `3px solid ${look?.color ?? 'var(--mantine-primary-color-filled)'}` : undefined,
        outlineOffset: -3,
      }}
    >
      {children}
      {target && target !== 'origin' ? (
        // Over the cell, not in its flow: the cells must not change size while dnd-kit measures them.
        <Text component="span" size="xs" fw={700} style={{ position: 'absolute', right: 4, bottom: 2, color: look?.color }}>
          {t(`timetable.grid.${target}`)}
        </Text>
      ) : null}
    </Table.Td>
  );
}

function LessonCard({ lesson, kind, onMoveTo, onTogglePin, onDelete }: { lesson: Lesson } & EditorGridProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({
    id: lesson.id,
    data: { lesson },
    attributes: { roleDescription: t('timetable.drag.role') },
  });
  const where = slotName(lesson.day, lesson.period);
  return (
    <Paper
      ref={setNodeRef}
      withBorder
      p={4}
      radius="sm"
      data-lesson={lesson.id}
      style={{ opacity: isDragging ? 0.4 : 1, borderLeft: `4px solid ${lesson.subject.color ?? 'var(--mantine-color-gray-5)'}` }}
    >
      <Group wrap="nowrap" gap={2} align="start">
        <UnstyledButton ref={setActivatorNodeRef} {...listeners} {...attributes} style={{ flex: 1, minWidth: 0, cursor: 'grab', touchAction: 'manipulation' }}>
          <LessonText lesson={lesson} kind={kind} />
          {lesson.pinned ? <PinnedBadge /> : null}
        </UnstyledButton>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="subtle" size="sm" aria-label={t('timetable.grid.actions', { lesson: lesson.subject.name, slot: where })}>
              ⋯
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => onMoveTo(lesson)}>{t('timetable.grid.moveTo')}</Menu.Item>
            <Menu.Item onClick={() => onTogglePin(lesson)}>{lesson.pinned ? t('timetable.grid.unpin') : t('timetable.grid.pin')}</Menu.Item>
            <Menu.Item color="red" onClick={() => onDelete(lesson)}>
              {t('timetable.grid.delete')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
    </Paper>
  );
}
