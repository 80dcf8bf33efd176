import { Injectable } from '@nestjs/common';
import { Db, LOCK, rows } from '@app/core';
import type { OwnPolicy } from './district-policy';

/** The own policy of a city or a district, with the code it belongs to. */
type OwnPolicyRow = OwnPolicy & { code: string };

/** Column ↔ field, in one list: the SELECT and the UPDATE are both made from it. */
const FIELD_COLUMNS: ReadonlyArray<readonly [keyof OwnPolicy, string]> = [
  ['maxPrepaidLessons', 'max_prepaid_lessons'],
  ['maxPrepaidMonths', 'max_prepaid_months'],
  ['maxPrepaidAmountFen', 'max_prepaid_amount_fen'],
  ['confirmWindowWorkingDays', 'confirm_window_working_days'],
  ['refundResponseWorkingDays', 'refund_response_working_days'],
  ['settlementCycle', 'settlement_cycle'],
  ['retentionRateBp', 'retention_rate_bp'],
  ['retentionDays', 'retention_days'],
  ['guidedPrices', 'guided_prices'],
  ['reportDueDay', 'report_due_day'],
  ['latestOfflineEnd', 'latest_offline_end'],
  ['latestOnlineEnd', 'latest_online_end'],
  ['riskThresholds', 'risk_thresholds'],
  ['subjectApprovalsOpen', 'subject_approvals_open'],
  ['guidedPriceMarginBp', 'guided_price_margin_bp'],
  ['backgroundCheckMonths', 'background_check_months'],
  ['complaintWorkingDays', 'complaint_working_days'],
];

const COLUMNS = FIELD_COLUMNS.map(([field, column]) => `${column} AS "${field}"`).join(', ');

/**
 * The own policies of cities and districts (one table, keyed by the division's code). A column is NULL,
 * a risk threshold absent from `risk_thresholds`, where the level inherits (docs/domain.md, "District
 * policy"); a division without a row inherits everything.
 */
@Injectable()
export class DistrictPolicyRepository {
  /** The own policies of those codes that have a row. */
  async findMany(db: Db, codes: string[]): Promise<Map<string, OwnPolicy>> {
    const found = await rows<OwnPolicyRow>(db, `SELECT district_code AS code, ${COLUMNS} FROM district_policies WHERE district_code = ANY($1::text[])`, [
      codes,
    ]);
    return new Map(found.map(({ code, ...own }) => [code, own]));
  }

  /** The own policy of `code`, locked for a change; a row inheriting everything is made first where there is none. */
  async lock(db: Db, code: string, at: Date): Promise<OwnPolicy> {
    await db.query(`INSERT INTO district_policies (district_code, updated_at) VALUES ($1, $2) ON CONFLICT (district_code) DO NOTHING`, [code, at]);
    const [own] = await rows<OwnPolicy>(db, `SELECT ${COLUMNS} FROM district_policies WHERE district_code = $1 ${LOCK}`, [code]);
    return own;
  }

  /** Saves the whole own policy of `code` (its row exists: see lock). */
  async save(db: Db, code: string, own: OwnPolicy, at: Date): Promise<void> {
    const assignments = FIELD_COLUMNS.map(([, column], index) => `${column} = $${index + 3}`).join(', ');
    await db.query(`UPDATE district_policies SET updated_at = $2, ${assignments} WHERE district_code = $1`, [
      code,
      at,
      ...FIELD_COLUMNS.map(([field]) => own[field]),
    ]);
  }
}
