import { Button, FileInput, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { CsvImportPreview, type ImportPreview } from './csv-import-preview';

export type ImportResult = ResponseOf<'/api/users/import', 'post', 201>;

/**
 * POST /api/users/import with the CSV as a text/csv body. The OpenAPI document declares no JSON
 * body for the route (it consumes text/csv or multipart), so the text is handed over as it is.
 */
function sendCsv(text: string, dryRun: true): Promise<ImportPreview>;
function sendCsv(text: string, dryRun: false): Promise<ImportResult>;
function sendCsv(text: string, dryRun: boolean) {
  return unwrap(
    api.POST('/api/users/import', {
      params: { query: { dryRun } },
      body: text as never,
      bodySerializer: () => text,
      headers: { 'content-type': 'text/csv' },
    }),
  );
}

interface CsvImportDialogProps {
  opened: boolean;
  onClose(): void;
  onImported(result: ImportResult): void;
}

/**
 * Imports users from a CSV in two steps: the rows are checked by the server's dry run and shown
 * with their errors, and only a file without errors can be imported (all rows or none). A chosen
 * file lands in the text box, so a mistake can be fixed here and checked again.
 */
export function CsvImportDialog({ opened, onClose, onImported }: CsvImportDialogProps) {
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const isPhone = useMediaQuery('(max-width: 36em)');

  // A new check starts from no preview, so the table's filter and page start afresh with the answer.
  const check = useMutation({ mutationFn: (csv: string) => sendCsv(csv, true), onMutate: () => setPreview(null), onSuccess: setPreview });
  const importRows = useMutation({
    mutationFn: () => sendCsv(text, false),
    onSuccess: (result) => {
      close();
      onImported(result);
    },
  });

  function edit(csv: string) {
    setText(csv);
    setPreview(null);
    check.reset();
    importRows.reset();
  }

  async function choose(chosen: File | null) {
    setFile(chosen);
    if (!chosen) return;
    const csv = await chosen.text();
    edit(csv);
    check.mutate(csv);
  }

  function close() {
    edit('');
    setFile(null);
    onClose();
  }

  const ready = preview !== null && preview.invalid === 0 && preview.created > 0;

  return (
    <Modal opened={opened} onClose={close} title={t('users.import.title')} size="xl" fullScreen={isPhone}>
      <Stack>
        <Text size="sm">{t('users.import.intro')}</Text>
        <FileInput
          label={t('users.import.file')}
          accept=".csv,text/csv"
          clearable
          clearButtonProps={{ 'aria-label': t('users.import.clearFile') }}
          value={file}
          onChange={(chosen) => void choose(chosen)}
        />
        <Textarea
          label={t('users.import.paste')}
          description={t('users.import.pasteHint')}
          autosize
          minRows={4}
          maxRows={12}
          value={text}
          onChange={(event) => edit(event.currentTarget.value)}
          styles={{ input: { fontFamily: 'monospace' } }}
        />
        <Group>
          <Button variant="light" disabled={!text.trim()} loading={check.isPending} onClick={() => check.mutate(text)}>
            {t('users.import.check')}
          </Button>
        </Group>
        <FormError error={check.error ?? importRows.error} />
        {preview && <CsvImportPreview preview={preview} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('users.cancel')}
          </Button>
          {ready && (
            <Button loading={importRows.isPending} onClick={() => importRows.mutate()}>
              {t(preview.created === 1 ? 'users.import.submit.one' : 'users.import.submit.other', { count: preview.created })}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
