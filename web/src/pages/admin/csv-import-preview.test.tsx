// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stubBrowserApis } from '../../lib/happy-dom-stubs';
import { CsvImportPreview, type ImportPreview } from './csv-import-preview';

beforeAll(stubBrowserApis);
afterEach(cleanup);

type Row = ImportPreview['rows'][number];
const row = (number: number, rest: Partial<Row> = {}): Row => ({
  row: number,
  username: `user${number}`,
  name: `Person ${number}`,
  role: 'student',
  email: null,
  guardianOf: [],
  errors: [],
  ...rest,
});

function renderPreview(preview: ImportPreview) {
  render(
    <MantineProvider>
      <CsvImportPreview preview={preview} />
    </MantineProvider>,
  );
}

/** The table's body rows, each as its cells' text. */
function bodyRows(): string[][] {
  const table = screen.getByRole('table');
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((tr) => within(tr).getAllByRole('cell').map((cell) => cell.textContent ?? ''));
}

describe('CsvImportPreview', () => {
  const withErrors: ImportPreview = {
    total: 3,
    invalid: 2,
    created: 0,
    linked: 0,
    rows: [
      row(2),
      row(3, {
        username: 'x y',
        role: 'janitor',
        errors: [
          { field: 'username', message: 'must be 3-50 letters, digits, dots, underscores or hyphens' },
          { field: 'role', message: 'must be one of teacher, student, guardian' },
        ],
      }),
      row(4, { role: 'guardian', guardianOf: ['user2', 'teacher1'], errors: [{ field: 'guardianOf', message: '"teacher1" is a teacher, not a student' }] }),
    ],
  };

  it('says how many rows have errors and shows those rows first, each error with its column in words', () => {
    renderPreview(withErrors);
    expect(screen.getByRole('status').textContent).toBe('2 of 3 rows have errors. Fix them and check again: nothing is imported while any row has an error.');
    expect(bodyRows()).toEqual([
      ['3', 'x y', 'Person 3', 'janitor', 'Username: must be 3-50 letters, digits, dots, underscores or hyphensRole: must be one of teacher, student, guardian'],
      ['4', 'user4', 'Person 4Guardian of user2, teacher1', 'Guardian', 'Guardian of: "teacher1" is a teacher, not a student'],
    ]);
    const errorsOfRow3 = within(screen.getAllByRole('row')[1]!).getAllByRole('listitem').map((item) => item.textContent);
    expect(errorsOfRow3).toEqual(['Username: must be 3-50 letters, digits, dots, underscores or hyphens', 'Role: must be one of teacher, student, guardian']);
  });

  it('shows the valid rows too when asked', () => {
    renderPreview(withErrors);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Show only the rows with errors' }));
    expect(bodyRows().map((cells) => [cells[0], cells[4]])).toEqual([
      ['2', 'Ready'],
      ['3', expect.stringContaining('Username:')],
      ['4', expect.stringContaining('Guardian of:')],
    ]);
  });

  it('says what a file without errors will create, with every row ready and no filter to offer', () => {
    renderPreview({ total: 2, invalid: 0, created: 2, linked: 1, rows: [row(2), row(3, { role: 'guardian', guardianOf: ['user2'] })] });
    expect(screen.getByRole('status').textContent).toBe('Every row is right. Users to create: 2. Guardian links to make: 1.');
    expect(bodyRows().map((cells) => cells[4])).toEqual(['Ready', 'Ready']);
    expect(screen.queryByRole('checkbox')).toBeNull();
  });

  it('pages a long file fifty rows at a time', () => {
    const rows = Array.from({ length: 120 }, (_, index) => row(index + 2));
    renderPreview({ total: 120, invalid: 0, created: 120, linked: 0, rows });
    expect(bodyRows()).toHaveLength(50);
    expect(bodyRows()[0]![0]).toBe('2');
    fireEvent.click(screen.getByRole('button', { name: '3' }));
    expect(bodyRows()).toHaveLength(20);
    expect(bodyRows()[0]![0]).toBe('102');
  });

  it('lets the table be scrolled sideways with the keyboard on a narrow screen', () => {
    renderPreview(withErrors);
    const region = screen.getByLabelText('Rows of the file');
    expect(region.getAttribute('tabindex')).toBe('0');
    expect(within(region).getByRole('table')).toBeTruthy();
  });
});
