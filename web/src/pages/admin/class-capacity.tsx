import { Group, Progress, Text } from '@mantine/core';
import { t } from '../../i18n';

/** A class's students against its maximum, as text (read out) and a bar that turns red when full. */
export function Capacity({ count, max }: { count: number; max: number }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" data-testid="class-capacity">
        {t('classes.capacity', { count, max })}
      </Text>
      <Progress value={max > 0 ? (100 * count) / max : 0} color={count >= max ? 'red' : 'blue'} w={80} aria-hidden />
    </Group>
  );
}
