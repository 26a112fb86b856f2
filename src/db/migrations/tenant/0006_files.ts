import { type Kysely, sql } from 'kysely';

/**
 * Uploaded files (issue 9). The bytes live in the file storage under `<institution id>/<file id>`;
 * this row is what makes them exist. Tables that attach a file point at it with
 * `"fileId" uuid not null references files (id) on delete restrict`, so whether a file is still
 * attached is read from the catalog's foreign keys (db/references.ts), and a file nothing points
 * at for a day is swept away.
 *
 * `uploadedBy` has no foreign key: admins upload too, and they live in the registry, not in
 * `users`; a deleted user's attached files stay with what they are attached to.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table files (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 255),
      size integer not null check (size > 0),
      "contentType" text not null,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      "uploadedBy" uuid not null,
      "createdAt" timestamptz not null default now()
    );
    create index files_created_idx on files ("createdAt");
    create index files_uploaded_by_idx on files ("uploadedBy");
  `.execute(db);
}
