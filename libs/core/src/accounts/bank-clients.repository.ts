import { Injectable } from '@nestjs/common';
import { Db, firstRow } from '../database/sql';

/** The supervising bank's machine client, without its key: only a SHA-256 of the API key is kept, and never read back. */
export interface BankClient {
  id: string;
  name: string;
  districtCode: string;
  createdAt: Date;
}

const COLUMNS = `id, name, district_code AS "districtCode", created_at AS "createdAt"`;

@Injectable()
export class BankClientsRepository {
  async insert(db: Db, client: Omit<BankClient, 'id'> & { apiKeyHash: string }): Promise<string> {
    const inserted = await firstRow<{ id: string }>(
      db,
      `INSERT INTO bank_clients (name, district_code, api_key_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
      [client.name, client.districtCode, client.apiKeyHash, client.createdAt],
    );
    return inserted!.id;
  }

  findNamed(db: Db, name: string, districtCode: string): Promise<BankClient | undefined> {
    return firstRow<BankClient>(db, `SELECT ${COLUMNS} FROM bank_clients WHERE name = $1 AND district_code = $2 ORDER BY created_at LIMIT 1`, [
      name,
      districtCode,
    ]);
  }

  /** By the hash of the key a request presents: one indexed lookup (UQ_BANK_CLIENTS_API_KEY_HASH). */
  findByApiKeyHash(db: Db, apiKeyHash: string): Promise<BankClient | undefined> {
    return firstRow<BankClient>(db, `SELECT ${COLUMNS} FROM bank_clients WHERE api_key_hash = $1`, [apiKeyHash]);
  }
}
