// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubBrowserApis } from '../../lib/happy-dom-stubs';
import { EditorGrid, type EditorGridProps } from './editor-grid';
import { clashesAt, type Day, type Lesson, lessonsBySlot, parseSlotKey } from './lessons';

const DAYS: Day[] = ['monday', 'tuesday', 'wednesday'];
const PERIODS = [
  { number: 1, start: '08:00', end: '08:45' },
  { number: 2, start: '08:50', end: '09:35' },
];

const maths = { id: 'subject-maths', name: 'Maths', color: null };
const art = { id: 'subject-art', name: 'Art', color: '#ff0000' };
const theo = { id: 'teacher-theo', name: 'Theo Teacher' };
const tess = { id: 'teacher-tess', name: 'Tess Teacher' };
const class7a = { id: 'class-7a', name: '7A' };
const class7b = { id: 'class-7b', name: '7B' };

function lesson(id: string, day: Day, period: number, rest: Partial<Lesson> = {}): Lesson {
  return { id, day, period, start: '08:00', end: '08:45', pinned: false, subject: maths, class: class7a, teacher: theo, room: null, ...rest };
}

/** 7A's week, and a 7B lesson of the same teacher that makes Wednesday period 1 a clash for 7A's Maths. */
const mathsMonday = lesson('l1', 'monday', 1);
const artTuesday = lesson('l2', 'tuesday', 2, { subject: art, teacher: tess, pinned: true });
const theoIn7b = lesson('l3', 'wednesday', 1, { class: class7b });
const slots = lessonsBySlot([mathsMonday, artTuesday, theoIn7b]);

// happy-dom lays nothing out: each cell gets a place on a 100 x 60 grid, and whatever is inside a cell its cell's box,
// so that dnd-kit's measuring and collision detection see a real grid.
function layout(this: Element): DOMRect {
  const cell = this.closest('[data-slot]');
  if (!cell) return new DOMRect(0, 0, 0, 0);
  const { day, period } = parseSlotKey(cell.getAttribute('data-slot') ?? '');
  return new DOMRect(100 + DAYS.indexOf(day) * 100, 50 + (period - 1) * 60, 100, 60);
}

beforeAll(() => {
  stubBrowserApis();
  Element.prototype.getBoundingClientRect = layout;
});
afterEach(cleanup);

function renderGrid(overrides: Partial<EditorGridProps> = {}) {
  const props: EditorGridProps = {
    days: DAYS,
    periods: PERIODS,
    lessons: [mathsMonday, artTuesday],
    kind: 'class',
    label: 'Week of class 7A',
    clashes: (moved, day, period) => clashesAt(moved, day, period, slots),
    onMove: vi.fn(),
    onMoveTo: vi.fn(),
    onTogglePin: vi.fn(),
    onDelete: vi.fn(),
    onAdd: vi.fn(),
    ...overrides,
  };
  const view = render(
    <MantineProvider>
      <EditorGrid {...props} />
    </MantineProvider>,
  );
  const cell = (key: string) => view.container.querySelector(`[data-slot="${key}"]`) as HTMLElement;
  return { props, cell };
}

/** The lesson's drag handle: the button holding its text. */
const handle = (cell: HTMLElement) => within(cell).getAllByRole('button')[0] as HTMLElement;

/** dnd-kit's keyboard sensor starts listening a tick after the key that picked the lesson up. */
async function press(target: Element, code: string) {
  await act(async () => {
    fireEvent.keyDown(target, { code, key: code === 'Space' ? ' ' : code });
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

describe('EditorGrid', () => {
  it('puts each lesson in its day and period, naming its teacher and room', () => {
    const { cell } = renderGrid();
    expect(cell('monday:1').textContent).toContain('Maths');
    expect(cell('monday:1').textContent).toContain('Theo Teacher');
    expect(cell('tuesday:2').textContent).toContain('Art');
    expect(cell('monday:2').textContent).not.toContain('Maths');
    expect(within(cell('monday:2')).getByRole('button', { name: 'Add a lesson on Monday, period 2' })).toBeTruthy();
  });

  it('marks pinned lessons', () => {
    const { cell } = renderGrid();
    expect(cell('tuesday:2').querySelector('[data-pinned]')?.textContent).toBe('Pinned');
    expect(cell('monday:1').querySelector('[data-pinned]')).toBeNull();
  });

  it('shows every cell as free or clashing as soon as a lesson is picked up, before it is dropped', async () => {
    const { cell } = renderGrid();
    expect(cell('wednesday:1').dataset.target).toBeUndefined();
    await press(handle(cell('monday:1')), 'Space');

    expect(cell('monday:1').dataset.target).toBe('origin');
    // Theo teaches 7B then.
    expect(cell('wednesday:1').dataset.target).toBe('clash');
    expect(cell('wednesday:1').textContent).toContain('Clash');
    // 7A has Art then.
    expect(cell('tuesday:2').dataset.target).toBe('clash');
    expect(cell('tuesday:1').dataset.target).toBe('free');
    expect(cell('tuesday:1').textContent).toContain('Free');
    await press(document.activeElement ?? document.body, 'Escape');
    expect(cell('wednesday:1').dataset.target).toBeUndefined();
  });

  it('says why a cell would clash while the lesson is over it', async () => {
    const { cell } = renderGrid();
    await press(handle(cell('monday:1')), 'Space');
    await press(document.activeElement!, 'ArrowRight');
    await press(document.activeElement!, 'ArrowRight');
    expect(screen.getByTestId('drag-status').textContent).toBe('Wednesday, period 1 would clash: Theo Teacher already teaches Maths to 7B then.');
    await press(document.activeElement!, 'Escape');
  });

  it('moves a lesson with the keyboard alone: space, arrows, space', async () => {
    const onMove = vi.fn();
    const { cell } = renderGrid({ onMove });
    await press(handle(cell('monday:1')), 'Space');
    await press(document.activeElement!, 'ArrowRight');
    await press(document.activeElement!, 'Space');
    expect(onMove).toHaveBeenCalledWith(mathsMonday, 'tuesday', 1);
  });

  it('does not move a lesson put back where it was', async () => {
    const onMove = vi.fn();
    const { cell } = renderGrid({ onMove });
    await press(handle(cell('monday:1')), 'Space');
    await press(document.activeElement!, 'ArrowDown');
    await press(document.activeElement!, 'ArrowUp');
    await press(document.activeElement!, 'Enter');
    expect(onMove).not.toHaveBeenCalled();
  });
});
