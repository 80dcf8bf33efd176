import { Client } from 'pg';
import { Columns, generateInstitutions, licenceCounters } from './dataset';

/**
 * Fills the bench database with the synthetic register, in a child process of run.ts so that the
 * generated columns never count towards the API process's memory. One multi-row INSERT … SELECT FROM
 * unnest(arrays) per 10,000 rows on two connections, with the GIN indexes made after the rows; then VACUUM (ANALYZE), so
 * the planner has statistics and autovacuum does not wake up in the middle of a measurement.
 */
export interface SeedJob {
  databaseUrl: string;
  rows: number;
  today: string;
}

export interface SeedResult {
  rows: number;
  byStatus: Record<string, number>;
  generateSeconds: number;
  insertSeconds: number;
  indexSeconds: number;
  analyzeSeconds: number;
  loadSeconds: number;
}

const CHUNK = 10_000;

async function seed(job: SeedJob): Promise<SeedResult> {
  const started = performance.now();
  const columns = generateInstitutions(job.rows, job.today);
  const generated = performance.now();

  const client = new Client({ connectionString: job.databaseUrl });
  await client.connect();
  try {
    const {
      rows: [owner],
    } = await client.query(
      `INSERT INTO users (username, password_hash, role, name, phone, created_at) VALUES ('bench-owner', '!', 'institution', '基准测试机构账号', '13800000000', now()) RETURNING id`,
    );
    // GIN indexes build far faster in one go than row by row: drop them for the load and make them
    // again from their own definitions (pg_indexes), so they stay exactly what the migrations made.
    const { rows: ginIndexes } = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'institutions' AND indexdef LIKE '% USING gin %'`,
    );
    for (const index of ginIndexes) await client.query(`DROP INDEX "${index.indexname}"`);
    // Two inserting connections, one per core: computing the generated name_grams column is most of the work.
    const inserters = await Promise.all(
      [0, 1].map(async () => {
        const inserter = new Client({ connectionString: job.databaseUrl });
        await inserter.connect();
        return inserter;
      }),
    );
    const chunks = Array.from({ length: Math.ceil(job.rows / CHUNK) }, (_, i) => i * CHUNK);
    await Promise.all(
      inserters.map(async (inserter, n) => {
        for (const from of chunks.filter((_, i) => i % inserters.length === n)) await insertChunk(inserter, owner.id, columns, from);
        await inserter.end();
      }),
    );
    const rowsInserted = performance.now();
    await client.query(`SET maintenance_work_mem = '256MB'`);
    for (const index of ginIndexes) await client.query(index.indexdef);
    for (const counter of licenceCounters(columns)) {
      await client.query(`INSERT INTO licence_counters (district_code, year, last) VALUES ($1, $2, $3)`, [counter.districtCode, counter.year, counter.last]);
    }
    const indexed = performance.now();
    await client.query('VACUUM (ANALYZE) institutions');
    await client.query('ANALYZE');
    const analyzed = performance.now();
    const { rows: counts } = await client.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM institutions GROUP BY status ORDER BY 2 DESC`,
    );
    return {
      rows: counts.reduce((sum, row) => sum + row.n, 0),
      byStatus: Object.fromEntries(counts.map((row) => [row.status, row.n])),
      generateSeconds: seconds(generated - started),
      insertSeconds: seconds(rowsInserted - generated),
      indexSeconds: seconds(indexed - rowsInserted),
      analyzeSeconds: seconds(analyzed - indexed),
      loadSeconds: seconds(analyzed - started),
    };
  } finally {
    await client.end();
  }
}

async function insertChunk(client: Client, ownerId: string, columns: Columns, from: number): Promise<void> {
  const slice = <T>(values: T[]) => values.slice(from, from + CHUNK);
  await client.query(
    `INSERT INTO institutions (owner_user_id, name, uscc, district_code, address, category, delivery, legal_representative, premises_area_m2,
                               capacity, phone, status, frozen, risk_level, licence_number, licence_valid_from, licence_valid_until, created_at, updated_at)
     SELECT $1, *, now(), now() FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[],
                              $10::int[], $11::text[], $12::text[], $13::bool[], $14::text[], $15::text[], $16::date[], $17::date[])`,
    [
      ownerId,
      slice(columns.name),
      slice(columns.uscc),
      slice(columns.districtCode),
      slice(columns.address),
      slice(columns.category),
      slice(columns.delivery),
      slice(columns.legalRepresentative),
      slice(columns.premisesAreaM2),
      slice(columns.capacity),
      slice(columns.phone),
      slice(columns.status),
      slice(columns.frozen),
      slice(columns.riskLevel),
      slice(columns.licenceNumber),
      slice(columns.licenceValidFrom),
      slice(columns.licenceValidUntil),
    ],
  );
}

const seconds = (ms: number) => Math.round(ms) / 1000;

process.once('message', (job: SeedJob) => {
  seed(job).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: Error) => process.send!({ error: error.stack ?? error.message }, () => process.exit(1)),
  );
});
