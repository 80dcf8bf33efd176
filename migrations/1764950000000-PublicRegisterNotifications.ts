import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables the public register's answers are made of (apps/api/src/registry/public-answer-cache.ts). */
const PUBLIC_TABLES = ['institutions', 'courses', 'teachers', 'complaints'];

/**
 * The columns of an institution that public answers show or derive from (its list, its licence, its
 * escrow supervision). Updates that touch none of them notify nobody: the risk evaluation stamps
 * risk_evaluated_at after every event, and would otherwise empty every API process's cache each time.
 */
const PUBLIC_INSTITUTION_COLUMNS = [
  'name',
  'uscc',
  'district_code',
  'address',
  'category',
  'delivery',
  'status',
  'frozen',
  'risk_level',
  'licence_number',
  'licence_valid_from',
  'licence_valid_until',
];

/**
 * Tells every API process when the public register changes, so that each may keep its public answers
 * in memory until then: a trigger on each table a public answer reads sends a notification on the
 * channel `public_register`. PostgreSQL delivers it at commit, once per transaction however many
 * rows or statements sent it.
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
      const events = table === 'institutions' ? 'INSERT OR DELETE OR TRUNCATE' : 'INSERT OR UPDATE OR DELETE OR TRUNCATE';
      await db.query(
        `CREATE TRIGGER ${table}_public_register_changed AFTER ${events} ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION notify_public_register_changed()`,
      );
    }
    const columns = (row: 'OLD' | 'NEW') => PUBLIC_INSTITUTION_COLUMNS.map((column) => `${row}.${column}`).join(', ');
    await db.query(
      `CREATE TRIGGER institutions_public_columns_changed AFTER UPDATE ON institutions
       FOR EACH ROW WHEN ((${columns('OLD')}) IS DISTINCT FROM (${columns('NEW')}))
       EXECUTE FUNCTION notify_public_register_changed()`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER institutions_public_columns_changed ON institutions`);
    for (const table of PUBLIC_TABLES) await db.query(`DROP TRIGGER ${table}_public_register_changed ON ${table}`);
    await db.query(`DROP FUNCTION notify_public_register_changed()`);
  }
}
