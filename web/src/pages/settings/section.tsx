import { Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** One titled part of the settings page. */
export function Section({ title, color, children }: { title: string; color?: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" style={color ? { borderColor: `var(--mantine-color-${color}-filled)` } : undefined}>
      <Stack>
        <Title order={2} size="h3">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}
