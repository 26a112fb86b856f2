import { type Kysely, sql } from 'kysely';

/**
 * The registry half of the sign-in cache invalidation (see the tenant migration of the same name):
 * an admin's change evicts that admin, an institution's rename or deletion evicts all its members.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The schema name is read from the registry, never rebuilt here (qualified: triggers run with
    -- the caller's search_path). While the institution itself is being deleted it is already gone,
    -- and the institution's own trigger evicts every member anyway.
    create function notify_admin_changed() returns trigger language plpgsql as $$
    declare
      schema_name text := (select "schemaName" from registry.institutions where id = old."institutionId");
    begin
      if schema_name is not null then
        perform pg_notify('crm_principal_changed', schema_name || ':' || old.id::text);
      end if;
      return null;
    end
    $$;

    create trigger admins_principal_changed after update on admins for each row
      when (old.username is distinct from new.username or old.name is distinct from new.name
        or old.email is distinct from new.email or old."isActive" is distinct from new."isActive"
        or old."tokenVersion" is distinct from new."tokenVersion")
      execute function notify_admin_changed();

    create trigger admins_principal_deleted after delete on admins for each row
      execute function notify_admin_changed();

    create function notify_institution_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('crm_principal_changed', old."schemaName");
      return null;
    end
    $$;

    create trigger institutions_principal_changed after update on institutions for each row
      when (old.name is distinct from new.name or old.code is distinct from new.code)
      execute function notify_institution_changed();

    create trigger institutions_principal_deleted after delete on institutions for each row
      execute function notify_institution_changed();
  `.execute(db);
}
