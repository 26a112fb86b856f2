import { type Kysely, sql } from 'kysely';

/**
 * Tells every API instance when a `GET /guardians/me/children` answer may have changed, so that
 * cached answers (modules/guardians/cache.ts) are dropped whichever code path or manual SQL made
 * the change. Payload: '<schema> <tag> <tag>…'; '<schema>' alone evicts every answer of the
 * institution (truncation). Each answer is stored with the tags of what it shows:
 * - `user:<guardianId>`: a link of the guardian added, changed (relationship, primary) or removed;
 * - `user:<studentId>`: the child's enrollment, name, username, date of birth or active flag
 *   (a deactivated child is left out of the list, and comes back with the flag);
 * - `class:<classId>`: the child's class renamed or given another homeroom teacher;
 * - `user:<teacherId>`: the homeroom teacher renamed.
 * Sign-ins (lastLoginAt) and other columns notify nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function notify_guardian_children_changed() returns trigger language plpgsql as $$
    declare
      tags text[] := '{}';
    begin
      if tg_table_name = 'guardianLinks' then
        if tg_op <> 'INSERT' then tags := tags || ('user:' || old."guardianId"); end if;
        if tg_op <> 'DELETE' then tags := tags || ('user:' || new."guardianId"); end if;
      elsif tg_table_name = 'enrollments' then
        if tg_op <> 'INSERT' then tags := tags || ('user:' || old."studentId"); end if;
        if tg_op <> 'DELETE' then tags := tags || ('user:' || new."studentId"); end if;
      elsif tg_table_name = 'users' then
        tags := tags || ('user:' || new.id);
      elsif tg_table_name = 'classes' then
        tags := tags || ('class:' || new.id);
      end if;
      perform pg_notify('crm_guardian_children_changed', tg_table_schema || ' ' || array_to_string(tags, ' '));
      return null;
    end
    $$;

    create function notify_guardian_children_institution() returns trigger language plpgsql as $$
    begin
      perform pg_notify('crm_guardian_children_changed', tg_table_schema);
      return null;
    end
    $$;

    create trigger guardian_links_children_changed after insert or update or delete on "guardianLinks"
      for each row execute function notify_guardian_children_changed();
    create trigger enrollments_children_changed after insert or update or delete on enrollments
      for each row execute function notify_guardian_children_changed();
    create trigger users_children_changed after update on users
      for each row when ((old.name, old.username, old."dateOfBirth", old."isActive") is distinct from (new.name, new.username, new."dateOfBirth", new."isActive"))
      execute function notify_guardian_children_changed();
    create trigger classes_children_changed after update on classes
      for each row when ((old.name, old.grade, old.section, old."homeroomTeacherId") is distinct from (new.name, new.grade, new.section, new."homeroomTeacherId"))
      execute function notify_guardian_children_changed();

    create trigger guardian_links_children_truncated after truncate on "guardianLinks"
      for each statement execute function notify_guardian_children_institution();
    create trigger enrollments_children_truncated after truncate on enrollments
      for each statement execute function notify_guardian_children_institution();
  `.execute(db);
}
