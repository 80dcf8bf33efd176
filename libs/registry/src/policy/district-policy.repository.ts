import { Injectable } from '@nestjs/common';
import { Db, firstRow } from '@app/core';
import type { DistrictPolicy, RiskThresholds } from './district-policy';

/**
 * A district's saved policy; a district without a row uses DEFAULT_POLICY. Risk thresholds saved
 * before a threshold existed lack it, so they are partial here and completed by the service.
 */
export type DistrictPolicyRow = Omit<DistrictPolicy, 'riskThresholds'> & { riskThresholds: Partial<RiskThresholds> };

const COLUMNS = `max_prepaid_lessons AS "maxPrepaidLessons", max_prepaid_months AS "maxPrepaidMonths", max_prepaid_amount_fen AS "maxPrepaidAmountFen",
  confirm_window_working_days AS "confirmWindowWorkingDays", refund_response_working_days AS "refundResponseWorkingDays",
  settlement_cycle AS "settlementCycle", retention_rate_bp AS "retentionRateBp", retention_days AS "retentionDays", guided_prices AS "guidedPrices",
  report_due_day AS "reportDueDay", latest_offline_end AS "latestOfflineEnd", latest_online_end AS "latestOnlineEnd", risk_thresholds AS "riskThresholds",
  subject_approvals_open AS "subjectApprovalsOpen", guided_price_margin_bp AS "guidedPriceMarginBp", background_check_months AS "backgroundCheckMonths",
  complaint_working_days AS "complaintWorkingDays"`;

@Injectable()
export class DistrictPolicyRepository {
  find(db: Db, districtCode: string): Promise<DistrictPolicyRow | undefined> {
    return firstRow<DistrictPolicyRow>(db, `SELECT ${COLUMNS} FROM district_policies WHERE district_code = $1`, [districtCode]);
  }

  /** Saves the whole policy over whatever the district had. */
  async put(db: Db, districtCode: string, policy: DistrictPolicy, at: Date): Promise<void> {
    await db.query(
      `INSERT INTO district_policies (district_code, max_prepaid_lessons, max_prepaid_months, max_prepaid_amount_fen, confirm_window_working_days,
                                      refund_response_working_days, settlement_cycle, retention_rate_bp, retention_days, guided_prices, report_due_day,
                                      latest_offline_end, latest_online_end, risk_thresholds, updated_at,
                                      subject_approvals_open, guided_price_margin_bp, background_check_months, complaint_working_days)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       ON CONFLICT (district_code) DO UPDATE SET
         max_prepaid_lessons = EXCLUDED.max_prepaid_lessons, max_prepaid_months = EXCLUDED.max_prepaid_months,
         max_prepaid_amount_fen = EXCLUDED.max_prepaid_amount_fen, confirm_window_working_days = EXCLUDED.confirm_window_working_days,
         refund_response_working_days = EXCLUDED.refund_response_working_days, settlement_cycle = EXCLUDED.settlement_cycle,
         retention_rate_bp = EXCLUDED.retention_rate_bp, retention_days = EXCLUDED.retention_days, guided_prices = EXCLUDED.guided_prices,
         report_due_day = EXCLUDED.report_due_day, latest_offline_end = EXCLUDED.latest_offline_end, latest_online_end = EXCLUDED.latest_online_end,
         risk_thresholds = EXCLUDED.risk_thresholds, updated_at = EXCLUDED.updated_at,
         subject_approvals_open = EXCLUDED.subject_approvals_open, guided_price_margin_bp = EXCLUDED.guided_price_margin_bp,
         background_check_months = EXCLUDED.background_check_months, complaint_working_days = EXCLUDED.complaint_working_days`,
      [
        districtCode,
        policy.maxPrepaidLessons,
        policy.maxPrepaidMonths,
        policy.maxPrepaidAmountFen,
        policy.confirmWindowWorkingDays,
        policy.refundResponseWorkingDays,
        policy.settlementCycle,
        policy.retentionRateBp,
        policy.retentionDays,
        policy.guidedPrices,
        policy.reportDueDay,
        policy.latestOfflineEnd,
        policy.latestOnlineEnd,
        policy.riskThresholds,
        at,
        policy.subjectApprovalsOpen,
        policy.guidedPriceMarginBp,
        policy.backgroundCheckMonths,
        policy.complaintWorkingDays,
      ],
    );
  }
}
