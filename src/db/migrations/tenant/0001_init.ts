import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      username text not null,
      password_hash text not null,
      role text not null check (role in ('teacher', 'student')),
      name text not null,
      email text,
      phone text,
      address text,
      date_of_birth date,
      joining_date date,
      is_active boolean not null default true,
      token_version integer not null default 0,
      last_login_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index users_username_key on users (lower(username));
    create index users_role_name_idx on users (role, lower(name));
    create index users_name_idx on users (lower(name), id);

    create table activity_logs (
      id uuid primary key default gen_random_uuid(),
      user_id uuid,
      user_role text,
      user_name text,
      action text not null,
      target_type text,
      target_id text,
      target_name text,
      details jsonb,
      ip text,
      user_agent text,
      created_at timestamptz not null default now()
    );
    create index activity_logs_created_at_idx on activity_logs (created_at desc);
    create index activity_logs_user_idx on activity_logs (user_id, created_at desc);
    create index activity_logs_action_idx on activity_logs (action, created_at desc);
  `.execute(db);
}
