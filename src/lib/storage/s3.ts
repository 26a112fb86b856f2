import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import { type FileStorage, isStorageId, MissingFileError, storageKey } from './storage.js';

export interface S3Settings {
  /** Empty means AWS itself; any S3-compatible service otherwise (MinIO, R2, Ceph, s3rver, ...). */
  endpoint: string | undefined;
  bucket: string;
  region: string;
  /** Both empty: the SDK's default credential chain (environment, instance role, ...). */
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** `<endpoint>/<bucket>/<key>` rather than `<bucket>.<endpoint>/<key>`; most self-hosted services need it. */
  forcePathStyle: boolean;
}

/** S3's smallest part: an upload holds at most one part in memory while it is sent. */
const PART_SIZE = 5 * 1024 * 1024;
/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000;

/** Objects `<institution id>/<file id>` in one bucket. */
export function s3Storage(settings: S3Settings): FileStorage {
  const client = new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.accessKeyId && settings.secretAccessKey
      ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
      : {}),
    // The SDK's default adds CRC32 checksums to every upload, which many S3-compatible services
    // do not understand; the files module keeps its own SHA-256 of every file anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = settings.bucket;

  async function removeKeys(keys: string[]) {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const Objects = keys.slice(i, i + DELETE_BATCH).map((Key) => ({ Key }));
      const { Errors } = await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } }));
      if (Errors?.length) throw new Error(`could not delete ${Errors.length} objects, first ${Errors[0]?.Key}: ${Errors[0]?.Message}`);
    }
  }

  /** The institution's objects, a ListObjectsV2 page (up to 1000) at a time. */
  async function* objectPages(institutionId: string) {
    const Prefix = `${storageKey(institutionId)}/`;
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
      yield (page.Contents ?? []).flatMap(({ Key, LastModified }) => (Key ? [{ Key, fileId: Key.slice(Prefix.length), LastModified }] : []));
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  return {
    driver: 's3',

    async put(institutionId, fileId, body) {
      // The length is not known before the stream ends, which PutObject needs: a multipart upload
      // sends 5 MB parts one at a time (a smaller file as one PutObject once it has ended). When
      // the stream fails, lib-storage aborts the multipart upload, so no object appears.
      const upload = new Upload({ client, params: { Bucket, Key: storageKey(institutionId, fileId), Body: body }, partSize: PART_SIZE, queueSize: 1 });
      await upload.done();
    },

    async get(institutionId, fileId, range) {
      const Key = storageKey(institutionId, fileId);
      try {
        const { Body } = await client.send(
          new GetObjectCommand({ Bucket, Key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
        );
        return Body as Readable;
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') throw new MissingFileError(Key);
        throw error;
      }
    },

    async remove(institutionId, fileIds) {
      await removeKeys(fileIds.map((fileId) => storageKey(institutionId, fileId)));
    },

    async removeInstitution(institutionId) {
      for await (const objects of objectPages(institutionId)) await removeKeys(objects.map(({ Key }) => Key));
    },

    async *listStored(institutionId, before) {
      for await (const objects of objectPages(institutionId)) {
        const ids = objects.filter(({ fileId, LastModified }) => isStorageId(fileId) && LastModified && LastModified < before).map(({ fileId }) => fileId);
        if (ids.length) yield ids;
      }
    },

    async removeStaleTemporaries() {
      // An object appears whole or not at all; what a crash leaves is a multipart upload never
      // completed nor aborted, whose parts are not objects. Aborting those is the bucket's
      // lifecycle rule's job (AbortIncompleteMultipartUpload, see the README): not every
      // S3-compatible service lists multipart uploads (s3rver does not).
    },

    async close() {
      client.destroy();
    },
  };
}
