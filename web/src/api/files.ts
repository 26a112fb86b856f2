import { authorizationHeader, reportUnauthorized } from './client';
import { toApiError } from './errors';
import type { ResponseOf } from './types';

export type UploadedFile = ResponseOf<'/api/files', 'post', 201>['files'][number];

/**
 * Uploads files to POST /api/files, reporting progress as a fraction from 0 to 1. XMLHttpRequest,
 * because fetch has no upload progress. A failure rejects with the same ApiError the client throws.
 */
export function uploadFiles(files: File[], onProgress: (fraction: number) => void): Promise<UploadedFile[]> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    const request = new XMLHttpRequest();
    request.open('POST', `${window.location.origin}/api/files`);
    const authorization = authorizationHeader();
    if (authorization) request.setRequestHeader('authorization', authorization);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(new TypeError('network'));
    request.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = null;
      }
      if (request.status === 201) {
        onProgress(1);
        resolve((body as { files: UploadedFile[] }).files);
        return;
      }
      if (request.status === 401) reportUnauthorized();
      reject(toApiError(request.status, body));
    };
    request.send(form);
  });
}

/**
 * Downloads what the API serves behind sign-in (a stored file, a gradebook as CSV): fetched with
 * the token, asking for `accept`, and saved under `name` through a Blob link.
 */
export async function downloadWithToken(path: string, name: string, accept?: string): Promise<void> {
  const authorization = authorizationHeader();
  const response = await fetch(path, { headers: { ...(authorization ? { authorization } : {}), ...(accept ? { accept } : {}) } });
  if (response.status === 401) reportUnauthorized();
  if (!response.ok) throw toApiError(response.status, await response.json().catch(() => null));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads a stored file under its name. */
export function downloadFile(id: string, name: string): Promise<void> {
  return downloadWithToken(`/api/files/${id}`, name);
}
