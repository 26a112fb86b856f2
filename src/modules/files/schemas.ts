import { type Static, Type } from 'typebox';
import { Uuid } from '../../lib/schemas.js';

export const FileView = Type.Object({
  id: Uuid,
  name: Type.String({ description: 'The cleaned display name: no path, no control or bidi characters, at most 200 characters' }),
  size: Type.Integer({ description: 'Bytes' }),
  contentType: Type.String({ description: 'Decided from the bytes, not from what the client sent' }),
  sha256: Type.String({ description: 'Hex SHA-256 of the bytes; the download ETag' }),
});
export type FileView = Static<typeof FileView>;

export const UploadResponse = Type.Object({ files: Type.Array(FileView) });

export const FileBytes = Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The file, or the range asked for' });
