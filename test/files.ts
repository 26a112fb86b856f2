import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { strToU8, Zip, ZipDeflate, zipSync } from 'fflate';
import { afterAll, beforeAll } from 'vitest';
import { call } from './helpers.js';
import { startTestS3, type TestS3 } from './s3-server.js';

/** One part of a multipart body: a file under `field` (default "files"). */
export interface Part {
  name: string;
  content: Buffer;
  field?: string;
  /** What the client claims; the server decides from the bytes anyway. */
  contentType?: string;
}

/** A multipart/form-data body; file names are sent as raw UTF-8, as browsers do. */
export function multipartBody(parts: Part[], fields: Record<string, string> = {}) {
  const boundary = `----crm${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const part of parts) {
    const filename = part.name.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.field ?? 'files'}"; filename="${filename}"\r\n` +
          `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      part.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export function upload(app: FastifyInstance, token: string, parts: Part[]) {
  const { payload, headers } = multipartBody(parts);
  return call(app, 'POST', '/api/files', { token, body: payload, headers });
}

/** Uploads files and returns their ids (for tests of modules that attach files). */
export async function uploadIds(app: FastifyInstance, token: string, parts: Part[] = [{ name: 'notes.txt', content: Buffer.from('notes') }]) {
  const response = await upload(app, token, parts);
  if (response.statusCode !== 201) throw new Error(`upload failed: ${response.statusCode} ${response.body}`);
  return (response.data.files as { id: string }[]).map((file) => file.id);
}

const CONTENT_TYPES_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const DOCX_ENTRIES = {
  '[Content_Types].xml': strToU8(CONTENT_TYPES_XML),
  '_rels/.rels': strToU8('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'),
  'word/document.xml': strToU8('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'),
};

/** A docx as a streaming zip writer makes it: deflated entries, sizes in data descriptors. */
function streamedDocx(): Buffer {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, data) => {
    if (error) throw error;
    chunks.push(data);
  });
  for (const [name, data] of Object.entries(DOCX_ENTRIES)) {
    const entry = new ZipDeflate(name, { level: 6 });
    zip.add(entry);
    entry.push(data, true);
  }
  zip.end();
  return Buffer.concat(chunks);
}

/** Small files of every accepted kind, as their magic numbers make them. */
export const SAMPLES = {
  jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, ...Array<number>(50).fill(7)]),
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(40, 1)]),
  pdf: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n'),
  doc: Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600, 2)]),
  docx: Buffer.from(zipSync(DOCX_ENTRIES)),
  streamedDocx: streamedDocx(),
  /** A zip with no word/ entry: not a docx, whatever its name. */
  zip: Buffer.from(zipSync({ 'readme.txt': strToU8('not a document') })),
  txt: Buffer.from('Homework: read chapter 3 — and write ½ page.\n'),
  mp3: Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0, 10]), Buffer.alloc(10), Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(400, 3)]),
  wav: Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WAVEfmt '), Buffer.alloc(40, 4)]),
  webm: Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x87, 0x42, 0x82, 0x84]), Buffer.from('webm'), Buffer.alloc(100, 5)]),
  ogg: Buffer.concat([Buffer.from('OggS'), Buffer.alloc(24), Buffer.from('\x01vorbis'), Buffer.alloc(100, 6)]),
};

/** Every file under DATA_DIR/files, temporary ones included, as `<institution id>/<name>`. */
export function localFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'files');
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
      .sort();
  } catch {
    return [];
  }
}

/** The storage drivers a suite that stores bytes runs on: `describe.each(STORAGE_DRIVERS)`. */
export const STORAGE_DRIVERS = ['local', 's3'] as const;
export type StorageDriver = (typeof STORAGE_DRIVERS)[number];

/**
 * A suite's storage driver. Call it before `useSchool` and give the app `env`: for s3, a beforeAll
 * registered here starts s3rver and fills `env` in before the app's beforeAll starts the app
 * (before-hooks run in order), and s3rver stops after the app (after-hooks run in reverse).
 */
export function useStorage(driver: StorageDriver) {
  const env: Record<string, string> = {};
  let s3: TestS3 | undefined;
  if (driver === 's3') {
    beforeAll(async () => {
      s3 = await startTestS3();
      Object.assign(env, s3.env);
    });
    afterAll(() => s3?.close());
  }
  return {
    driver,
    env,
    /** Every key stored for the institution (local: temporary files too), sorted. */
    async stored(app: FastifyInstance, institutionId: string): Promise<string[]> {
      const all = s3 ? await s3.keys() : localFiles(app.config.dataDir);
      return all.filter((key) => key.startsWith(`${institutionId}/`));
    },
  };
}
