import { type Kysely, sql } from 'kysely';

// camelCase column names, quoted, as in the registry (see registry/0001_init.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      username text not null,
      "passwordHash" text not null,
      role text not null check (role in ('teacher', 'student')),
      name text not null,
      email text,
      phone text,
      address text,
      "dateOfBirth" date,
      "joiningDate" date,
      "isActive" boolean not null default true,
      "tokenVersion" integer not null default 0,
      "lastLoginAt" timestamptz,
      "createdAt" timestamptz not null default now(),
      "updatedAt" timestamptz not null default now()
    );
    create unique index users_username_key on users (lower(username));
    create index users_role_name_idx on users (role, lower(name));
    create index users_name_idx on users (lower(name), id);

    create table "activityLogs" (
      id uuid primary key default gen_random_uuid(),
      "userId" uuid,
      "userRole" text,
      "userName" text,
      action text not null,
      "targetType" text,
      "targetId" text,
      "targetName" text,
      details jsonb,
      ip text,
      "userAgent" text,
      "createdAt" timestamptz not null default now()
    );
    create index activity_logs_created_idx on "activityLogs" ("createdAt" desc);
    create index activity_logs_user_idx on "activityLogs" ("userId", "createdAt" desc);
    create index activity_logs_action_idx on "activityLogs" (action, "createdAt" desc);
  `.execute(db);
}
