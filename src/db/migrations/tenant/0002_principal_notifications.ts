import { type Kysely, sql } from 'kysely';

/**
 * Tells every API instance when an account changes in a way its cached sign-in depends on, so
 * revocation (logout, password change, deactivation, deletion) reaches every instance's cache,
 * whichever code path or manual SQL made the change. Payload: '<schema>:<user id>'.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function notify_principal_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('crm_principal_changed', tg_table_schema || ':' || old.id::text);
      return null;
    end
    $$;

    create trigger users_principal_changed after update on users for each row
      when (old.username is distinct from new.username or old.name is distinct from new.name
        or old.email is distinct from new.email or old.role is distinct from new.role
        or old."isActive" is distinct from new."isActive" or old."tokenVersion" is distinct from new."tokenVersion")
      execute function notify_principal_changed();

    create trigger users_principal_deleted after delete on users for each row
      execute function notify_principal_changed();
  `.execute(db);
}
