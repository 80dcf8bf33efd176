import { Injectable } from '@nestjs/common';
import { Db, rows } from '@app/core';

export interface MoneyAlert {
  districtCode: string;
  institutionId: string | null;
  kind: 'reconciliation' | 'money';
  ruleCode: string;
  evidence: Record<string, unknown>;
  /** One alert per finding: the same finding raised again adds nothing. */
  dedupeKey: string;
}

@Injectable()
export class MoneyAlertsRepository {
  /** Inserts the alert unless its finding was raised already; answers its id when new. */
  async insert(db: Db, alert: MoneyAlert, at: Date): Promise<string | undefined> {
    const [inserted] = await rows<{ id: string }>(
      db,
      `INSERT INTO alerts (institution_id, district_code, kind, rule_code, severity, evidence, dedupe_key, created_at)
       VALUES ($1, $2, $3, $4, 'red', $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [alert.institutionId, alert.districtCode, alert.kind, alert.ruleCode, alert.evidence, alert.dedupeKey, at],
    );
    return inserted?.id;
  }
}
