import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '../../lib/schemas.js';
import { sendFile } from './download.js';
import { FileBytes, UploadResponse } from './schemas.js';
import { readableFile, uploadFiles } from './service.js';

const tags = ['files'];

const fileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { maxBytes, maxCount } = app.config.files;

  app.post(
    '/files',
    {
      config: { access: 'anyAccount' },
      schema: {
        tags,
        summary: 'Upload files (multipart/form-data), to attach them to an assignment or a submission',
        description:
          `Up to ${maxCount} files of up to ${maxBytes} bytes each, in parts of any field name. Accepted: jpeg, png, pdf, doc, docx, txt, ` +
          'mp3, wav, webm and ogg audio; the kind is decided from the bytes and must agree with the extension, else 415 ' +
          'UNSUPPORTED_FILE_TYPE naming the file. Too large: 413; too many or an empty file: 400. All or nothing: after any ' +
          'error no file of the request is kept. A file nothing refers to is deleted after a day.',
        consumes: ['multipart/form-data'],
        response: { 201: UploadResponse },
      },
    },
    async (request, reply) => reply.code(201).send({ files: await uploadFiles(request, app.fileStorage, { maxBytes, maxCount }) }),
  );

  app.get(
    '/files/:id',
    {
      config: { access: 'anyAccount' },
      // Compressing would change the bytes that Range, Content-Length and the ETag describe.
      compress: false,
      schema: {
        tags,
        summary: 'Download a file',
        description:
          'For its uploader, admins, and whoever may see what it is attached to; anyone else gets 404 as for an unknown id. ' +
          'Sent as an attachment under its cleaned name, with a strong ETag (If-None-Match: 304) and one byte range per ' +
          'request (Range: 206 with Content-Range, 416 past the end).',
        params: IdParams,
        response: { 200: FileBytes, 206: FileBytes, 304: FileBytes },
      },
    },
    async (request, reply) => {
      const file = await readableFile(request.tenantDb, app.fileAccess, request.principal, request.params.id);
      return sendFile(request, reply, app.fileStorage, request.principal.institution.id, file);
    },
  );
};

export default fileRoutes;
