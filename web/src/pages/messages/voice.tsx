import { Button, Group, Loader, Progress, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type SyntheticEvent, useEffect, useRef, useState } from 'react';
import { authorizationHeader, reportUnauthorized } from '../../api/client';
import { toApiError } from '../../api/errors';
import { t } from '../../i18n';
import { FormError } from '../form-error';

/** What MediaRecorder may produce that the server takes as a voice message (it reads webm and ogg), best first. */
const RECORDING_TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/ogg'];
/** A recording stops by itself here: about 2.4 MB of opus, well under the upload limit. */
const MAX_RECORDING_SECONDS = 600;

/** 65 → "1:05". */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** A file of the API as a Blob: the file route wants the bearer token, which an <audio src> cannot send. */
async function fetchFileBlob(id: string): Promise<Blob> {
  const authorization = authorizationHeader();
  const response = await fetch(`/api/files/${id}`, { headers: authorization ? { authorization } : {} });
  if (response.status === 401) reportUnauthorized();
  if (!response.ok) throw toApiError(response.status, await response.json().catch(() => null));
  return response.blob();
}

/** An object URL for the blob while the component shows it, revoked afterwards. */
function useObjectUrl(blob: Blob | undefined): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!blob) return;
    const next = URL.createObjectURL(blob);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [blob]);
  return url;
}

/**
 * MediaRecorder's webm has no duration in its header, so the player shows no length and cannot
 * seek until it has read to the end once: jumping far ahead makes it find the end, then back to 0.
 */
function findDuration(event: SyntheticEvent<HTMLAudioElement>) {
  const audio = event.currentTarget;
  if (Number.isFinite(audio.duration)) return;
  audio.addEventListener(
    'durationchange',
    () => {
      audio.currentTime = 0;
    },
    { once: true },
  );
  audio.currentTime = Number.MAX_SAFE_INTEGER;
}

function AudioPlayer({ url, label }: { url: string | undefined; label: string }) {
  if (!url) return null;
  return <audio controls preload="metadata" src={url} aria-label={label} onLoadedMetadata={findDuration} style={{ width: 'min(300px, 70vw)' }} />;
}

/** A voice message: its audio fetched with the token, played with the browser's own controls (seeking too). */
export function VoicePlayer({ fileId, durationSeconds }: { fileId: string; durationSeconds: number | null }) {
  const audio = useQuery({ queryKey: ['voice', fileId], queryFn: () => fetchFileBlob(fileId), staleTime: Infinity });
  const url = useObjectUrl(audio.data);
  const label = durationSeconds === null ? t('messages.voice') : t('messages.voiceOf', { duration: formatDuration(durationSeconds) });
  if (audio.isPending) return <Loader size="xs" aria-label={t('messages.voiceLoading')} />;
  if (audio.isError) return <FormError error={audio.error} />;
  return <AudioPlayer url={url} label={label} />;
}

export interface Recording {
  blob: Blob;
  seconds: number;
}

function recordingType(): string | undefined {
  return RECORDING_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
}

/** Why recording could not start, in words: no permission, no microphone, or a browser without MediaRecorder. */
function microphoneProblem(error: unknown): string {
  if (error instanceof DOMException && (error.name === 'NotAllowedError' || error.name === 'SecurityError')) return t('messages.micDenied');
  if (error instanceof DOMException && error.name === 'NotFoundError') return t('messages.micMissing');
  return t('messages.recordingUnsupported');
}

/**
 * Records from the microphone with MediaRecorder. `start` asks for the microphone; `stop` ends the
 * recording and hands it over; `cancel` throws it away. The microphone is released in every case.
 */
function useRecorder(onRecorded: (recording: Recording) => void) {
  const [seconds, setSeconds] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const keep = useRef(true);

  const release = () => {
    recorder.current?.stream.getTracks().forEach((track) => track.stop());
    recorder.current = null;
    setSeconds(null);
  };
  useEffect(() => () => {
    keep.current = false;
    if (recorder.current?.state === 'recording') recorder.current.stop();
    recorder.current?.stream.getTracks().forEach((track) => track.stop());
  }, []);

  useEffect(() => {
    if (seconds === null) return;
    if (seconds >= MAX_RECORDING_SECONDS) {
      recorder.current?.stop();
      return;
    }
    const tick = setTimeout(() => setSeconds((value) => (value === null ? null : value + 1)), 1000);
    return () => clearTimeout(tick);
  }, [seconds]);

  const start = async () => {
    setProblem(null);
    const mimeType = typeof MediaRecorder === 'undefined' ? undefined : recordingType();
    if (!mimeType || !navigator.mediaDevices) {
      setProblem(t('messages.recordingUnsupported'));
      return;
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      setProblem(microphoneProblem(error));
      return;
    }
    const chunks: Blob[] = [];
    const next = new MediaRecorder(stream, { mimeType });
    const startedAt = Date.now();
    keep.current = true;
    next.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    };
    next.onstop = () => {
      release();
      if (keep.current && chunks.length > 0) onRecorded({ blob: new Blob(chunks, { type: mimeType }), seconds: (Date.now() - startedAt) / 1000 });
    };
    recorder.current = next;
    next.start();
    setSeconds(0);
  };
  const stop = (keepIt: boolean) => {
    keep.current = keepIt;
    if (recorder.current?.state === 'recording') recorder.current.stop();
    else release();
  };
  return { recording: seconds !== null, seconds: seconds ?? 0, problem, start, stop };
}

/**
 * The voice part of the composer: record, listen to it, then send or discard it. `send` uploads
 * and posts the message, reporting upload progress as a fraction.
 */
export function VoiceRecorder({ send, disabled }: { send: (recording: Recording, onProgress: (fraction: number) => void) => Promise<unknown>; disabled: boolean }) {
  const [recorded, setRecorded] = useState<Recording | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const recorder = useRecorder((recording) => {
    setError(null);
    setRecorded(recording);
  });
  const previewUrl = useObjectUrl(recorded?.blob);

  const sendRecording = async () => {
    if (!recorded) return;
    setError(null);
    setProgress(0);
    try {
      await send(recorded, setProgress);
      setRecorded(null);
    } catch (failure) {
      setError(failure);
    } finally {
      setProgress(null);
    }
  };

  if (recorder.recording) {
    return (
      <Group gap="xs">
        <Text size="sm" c="red.9">
          {t('messages.recording', { duration: formatDuration(recorder.seconds) })}
        </Text>
        <Button size="compact-sm" color="red" onClick={() => recorder.stop(true)}>
          {t('messages.stopRecording')}
        </Button>
        <Button size="compact-sm" variant="default" onClick={() => recorder.stop(false)}>
          {t('messages.discardRecording')}
        </Button>
      </Group>
    );
  }
  if (recorded) {
    return (
      <Stack gap="xs" data-testid="voice-preview">
        <AudioPlayer url={previewUrl} label={t('messages.voicePreview', { duration: formatDuration(recorded.seconds) })} />
        {progress !== null && <Progress value={progress * 100} aria-label={t('messages.uploading')} size="sm" />}
        <FormError error={error} />
        <Group gap="xs">
          <Button size="compact-sm" onClick={() => void sendRecording()} loading={progress !== null} disabled={disabled}>
            {t('messages.sendVoice')}
          </Button>
          <Button size="compact-sm" variant="default" onClick={() => setRecorded(null)} disabled={progress !== null}>
            {t('messages.discardRecording')}
          </Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Stack gap="xs">
      {recorder.problem && (
        <Text role="alert" size="sm" c="red.9">
          {recorder.problem}
        </Text>
      )}
      <Button size="compact-sm" variant="default" w="fit-content" onClick={() => void recorder.start()} disabled={disabled}>
        {t('messages.record')}
      </Button>
    </Stack>
  );
}
