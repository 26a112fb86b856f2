import { Text } from '@mantine/core';
import { t } from '../i18n';
import { useLiveStatus } from './live-events';

/**
 * "Reconnecting…" while the live socket is down. The status region is always there (empty when
 * connected) so a screen reader announces the change.
 */
export function LiveStatus() {
  const status = useLiveStatus();
  return (
    <Text role="status" size="sm" fw={600} c="red.9" data-testid="live-status">
      {status === 'reconnecting' ? t('messages.reconnecting') : ''}
    </Text>
  );
}
