import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { t } from '../i18n';
import { FormError } from './form-error';

interface ConfirmDialogProps {
  opened: boolean;
  title: string;
  /** What happens, in a sentence the person can weigh. */
  message: string;
  confirmLabel: string;
  pending: boolean;
  error: unknown;
  onConfirm(): void;
  onClose(): void;
}

/** Asks before a destructive action (deleting an assignment or a message, turning off a calendar link); its failure is said in the dialog. */
export function ConfirmDialog({ opened, title, message, confirmLabel, pending, error, onConfirm, onClose }: ConfirmDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <Stack>
        <Text>{message}</Text>
        <FormError error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('app.cancel')}
          </Button>
          <Button color="red" loading={pending} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
