import { type MantineBreakpoint, Table, type TableProps } from '@mantine/core';
import type { ReactNode } from 'react';

interface ScrollTableProps extends Omit<TableProps, 'children'> {
  /** Names the scroll region. */
  label: string;
  /** The table takes the label too, where a page is looked for by its table's name. */
  nameTable?: boolean;
  /** Below this width the table scrolls sideways instead of squeezing its columns. */
  minWidth: number;
  /** The column headings, in order. */
  columns: readonly ReactNode[];
  /** Where a page shows the rows another way on smaller screens (cards on a phone). */
  visibleFrom?: MantineBreakpoint;
  /** The rows. */
  children: ReactNode;
}

/**
 * A striped table that scrolls sideways on a phone. The scroll region is focusable and named, so a
 * keyboard can scroll it too (axe: scrollable-region-focusable).
 */
export function ScrollTable({ label, nameTable = false, minWidth, columns, visibleFrom, children, ...table }: ScrollTableProps) {
  return (
    <Table.ScrollContainer type="native" minWidth={minWidth} visibleFrom={visibleFrom} tabIndex={0} role="region" aria-label={label}>
      <Table striped aria-label={nameTable ? label : undefined} {...table}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column, index) => (
              // Headings are their place in the row.
              <Table.Th key={index} scope="col">
                {column}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
