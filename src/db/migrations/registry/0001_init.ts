import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table institutions (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      code text not null unique,
      schema_name text not null unique,
      schema_version text,
      created_at timestamptz not null default now()
    );

    create table admins (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid not null references institutions (id) on delete cascade,
      username text not null,
      password_hash text not null,
      name text not null,
      email text,
      is_active boolean not null default true,
      token_version integer not null default 0,
      last_login_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index admins_username_key on admins (lower(username));
    create index admins_institution_id_idx on admins (institution_id);

    create table master_activity_logs (
      id uuid primary key default gen_random_uuid(),
      institution_id uuid,
      institution_name text,
      admin_id uuid,
      username text,
      action text not null,
      details jsonb,
      ip text,
      user_agent text,
      created_at timestamptz not null default now()
    );
    create index master_activity_logs_created_at_idx on master_activity_logs (created_at desc);
    create index master_activity_logs_institution_idx on master_activity_logs (institution_id, created_at desc);
  `.execute(db);
}
