import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables the public register's answers are made of (apps/api/src/registry/public-answer-cache.ts). */
const PUBLIC_TABLES = ['institutions', 'courses', 'teachers', 'complaints'];

/**
 * Tells every API process when the public register changes, so that each may keep its public answers
 * in memory until then: a statement-level trigger on each table a public answer reads sends a
 * notification on the channel `public_register` (PostgreSQL delivers it at commit, and once per
 * transaction however many statements sent it).
 */
export class PublicRegisterNotifications1764950000000 implements MigrationInterface {
  name = 'PublicRegisterNotifications1764950000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION notify_public_register_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('public_register', '');
        RETURN NULL;
      END $$`);
    for (const table of PUBLIC_TABLES) {
      await db.query(
        `CREATE TRIGGER ${table}_public_register_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION notify_public_register_changed()`,
      );
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of PUBLIC_TABLES) await db.query(`DROP TRIGGER ${table}_public_register_changed ON ${table}`);
    await db.query(`DROP FUNCTION notify_public_register_changed()`);
  }
}
