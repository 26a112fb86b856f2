import { ActionIcon, Anchor, FileInput, Group, List, Progress, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { downloadFile, uploadFiles } from '../../api/files';
import { t } from '../../i18n';
import { FormError } from '../form-error';

/** The most files an assignment or a submission holds (the API's limit). */
export const MAX_FILES = 5;

/** A file as the API lists it beside an assignment or a submission, or as an upload answers it. */
export interface FileRef {
  id: string;
  name: string;
  size: number;
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return t('files.bytes', { size: bytes });
  if (bytes < 1024 * 1024) return t('files.kilobytes', { size: Math.round(bytes / 1024) });
  return t('files.megabytes', { size: (bytes / (1024 * 1024)).toFixed(1) });
}

/** Files to download: each fetched with the session's token and saved under its name. */
export function FileList({ files }: { files: FileRef[] }) {
  const [error, setError] = useState<unknown>(null);
  if (files.length === 0) return null;
  return (
    <Stack gap={4}>
      <List size="sm" aria-label={t('files.list')}>
        {files.map((file) => (
          <List.Item key={file.id}>
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => downloadFile(file.id, file.name).then(() => setError(null), setError)}
            >
              {file.name}
            </Anchor>{' '}
            <Text span size="xs" c="dimmed">
              ({sizeText(file.size)})
            </Text>
          </List.Item>
        ))}
      </List>
      <FormError error={error} />
    </Stack>
  );
}

/**
 * Picks files and uploads them at once to POST /api/files with a progress bar; the uploaded files
 * (their ids go with the form) are listed with a button to take each off again.
 */
export function FileUploader({
  value,
  onChange,
  onBusyChange,
}: {
  value: FileRef[];
  onChange(files: FileRef[]): void;
  onBusyChange?(busy: boolean): void;
}) {
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tooMany, setTooMany] = useState(false);

  async function upload(files: File[]) {
    if (files.length === 0) return;
    setTooMany(value.length + files.length > MAX_FILES);
    if (value.length + files.length > MAX_FILES) return;
    setError(null);
    setProgress(0);
    onBusyChange?.(true);
    try {
      const uploaded = await uploadFiles(files, setProgress);
      onChange([...value, ...uploaded]);
    } catch (failure) {
      setError(failure);
    } finally {
      setProgress(null);
      onBusyChange?.(false);
    }
  }

  const percent = progress === null ? 0 : Math.round(progress * 100);
  return (
    <Stack gap="xs">
      <FileInput
        label={t('files.attach')}
        description={t('files.attachHint', { max: MAX_FILES })}
        placeholder={t('files.choose')}
        multiple
        value={[]}
        onChange={(files) => void upload(files)}
        disabled={progress !== null || value.length >= MAX_FILES}
        clearable={false}
      />
      {progress !== null ? (
        <Stack gap={2}>
          <Text size="xs" aria-live="polite">
            {t('files.uploading', { percent })}
          </Text>
          <Progress value={percent} aria-label={t('files.progress')} animated transitionDuration={100} />
        </Stack>
      ) : null}
      {tooMany ? (
        <Text c="red" size="sm" role="alert">
          {t('files.tooMany', { max: MAX_FILES })}
        </Text>
      ) : null}
      <FormError error={error} />
      {value.length > 0 ? (
        <List size="sm" aria-label={t('files.attached')}>
          {value.map((file) => (
            <List.Item key={file.id}>
              <Group gap="xs" wrap="nowrap">
                <Text size="sm">
                  {file.name} ({sizeText(file.size)})
                </Text>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="sm"
                  aria-label={t('files.remove', { name: file.name })}
                  onClick={() => onChange(value.filter((entry) => entry.id !== file.id))}
                >
                  ×
                </ActionIcon>
              </Group>
            </List.Item>
          ))}
        </List>
      ) : null}
    </Stack>
  );
}
