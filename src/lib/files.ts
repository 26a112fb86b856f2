import { rm } from 'node:fs/promises';
import path from 'node:path';

/** Every file an institution uploads lives under one folder, so deleting the institution removes them all. */
export function institutionFilesDir(dataDir: string, institutionId: string): string {
  return path.join(dataDir, 'files', institutionId);
}

export async function removeInstitutionFiles(dataDir: string, institutionId: string): Promise<void> {
  await rm(institutionFilesDir(dataDir, institutionId), { recursive: true, force: true });
}
