import { type Kysely, sql } from 'kysely';

/**
 * Tells every API instance when a `GET /assignments/my-assignments` answer may have changed, so
 * that cached answers (modules/assignments/cache.ts) are dropped whichever code path or manual SQL
 * made the change. Payload: '<schema> <tag> <tag>…', each tag naming answers that depend on it:
 * `user:<id>` (a student's own answer, a teacher's own) and `class:<id>` (answers of the class's
 * students, and of teachers with work set for it); '<schema>' alone for every answer of the
 * institution (renames of teachers, subjects and classes, which are rare, and truncation).
 *
 * Row triggers, so that a submission evicts its student and its teacher only, not the school:
 * hand-ins and grades come all day. PostgreSQL folds equal notifications of one transaction into
 * one. Tables and columns no answer shows (descriptions, files, submission versions, student
 * names) notify nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function notify_my_assignments_changed() returns trigger language plpgsql as $$
    declare
      tags text[] := '{}';
      assignment_ids uuid[] := '{}';
      found text[];
    begin
      if tg_table_name = 'assignments' then
        if tg_op <> 'INSERT' then tags := tags || ('user:' || old."teacherId"); end if;
        if tg_op <> 'DELETE' then tags := tags || ('user:' || new."teacherId"); end if;
        -- A new assignment reaches its students through its "assignmentClasses" rows; one that
        -- goes takes them (and its submissions) with it by cascade.
        if tg_op = 'UPDATE' then
          execute format('select coalesce(array_agg(''class:'' || "classId"), ''{}'') from %I."assignmentClasses" where "assignmentId" = $1', tg_table_schema)
            into found using new.id;
          tags := tags || found;
        end if;
      elsif tg_table_name = 'assignmentClasses' then
        if tg_op <> 'INSERT' then tags := tags || ('class:' || old."classId"); assignment_ids := assignment_ids || old."assignmentId"; end if;
        if tg_op <> 'DELETE' then tags := tags || ('class:' || new."classId"); assignment_ids := assignment_ids || new."assignmentId"; end if;
      elsif tg_table_name = 'submissions' then
        if tg_op <> 'INSERT' then tags := tags || ('user:' || old."studentId"); assignment_ids := assignment_ids || old."assignmentId"; end if;
        if tg_op <> 'DELETE' then tags := tags || ('user:' || new."studentId"); assignment_ids := assignment_ids || new."assignmentId"; end if;
      elsif tg_table_name = 'enrollments' then
        -- The class tag reaches the teachers whose counts include the class's students.
        if tg_op <> 'INSERT' then tags := tags || array['user:' || old."studentId", 'class:' || old."classId"]; end if;
        if tg_op <> 'DELETE' then tags := tags || array['user:' || new."studentId", 'class:' || new."classId"]; end if;
      end if;
      -- The teacher of each assignment named (gone when it was deleted: its own trigger told them).
      if cardinality(assignment_ids) > 0 then
        execute format('select coalesce(array_agg(''user:'' || "teacherId"), ''{}'') from %I.assignments where id = any($1)', tg_table_schema)
          into found using assignment_ids;
        tags := tags || found;
      end if;
      perform pg_notify('crm_my_assignments_changed', tg_table_schema || ' ' || array_to_string(tags, ' '));
      return null;
    end
    $$;

    create function notify_my_assignments_institution() returns trigger language plpgsql as $$
    begin
      perform pg_notify('crm_my_assignments_changed', tg_table_schema);
      return null;
    end
    $$;

    create trigger assignments_my_assignments_changed after insert or delete on assignments
      for each row execute function notify_my_assignments_changed();
    -- Only what an answer shows: not the description, not updatedAt.
    create trigger assignments_my_assignments_updated after update on assignments
      for each row when ((old.title, old."subjectId", old."teacherId", old."dueAt", old."maxPoints", old."allowLate")
        is distinct from (new.title, new."subjectId", new."teacherId", new."dueAt", new."maxPoints", new."allowLate"))
      execute function notify_my_assignments_changed();
    create trigger assignment_classes_my_assignments_changed after insert or update or delete on "assignmentClasses"
      for each row execute function notify_my_assignments_changed();
    create trigger submissions_my_assignments_changed after insert or update or delete on submissions
      for each row execute function notify_my_assignments_changed();
    create trigger enrollments_my_assignments_changed after insert or update or delete on enrollments
      for each row execute function notify_my_assignments_changed();

    create trigger assignments_my_assignments_truncated after truncate on assignments
      for each statement execute function notify_my_assignments_institution();
    create trigger assignment_classes_my_assignments_truncated after truncate on "assignmentClasses"
      for each statement execute function notify_my_assignments_institution();
    create trigger submissions_my_assignments_truncated after truncate on submissions
      for each statement execute function notify_my_assignments_institution();
    create trigger enrollments_my_assignments_truncated after truncate on enrollments
      for each statement execute function notify_my_assignments_institution();
    -- Students see their teachers' names, teachers their classes' names, both the subjects'.
    create trigger users_my_assignments_renamed after update on users
      for each row when (old.name is distinct from new.name and new.role = 'teacher')
      execute function notify_my_assignments_institution();
    create trigger subjects_my_assignments_renamed after update on subjects
      for each row when (old.name is distinct from new.name)
      execute function notify_my_assignments_institution();
    create trigger classes_my_assignments_renamed after update on classes
      for each row when (old.name is distinct from new.name)
      execute function notify_my_assignments_institution();
  `.execute(db);
}
