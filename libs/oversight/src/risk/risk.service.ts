import { Injectable } from '@nestjs/common';
import { AuditService, Clock, DomainError, OutboxService, Principal, canSeeDistrict, districtLikePattern, notFound } from '@app/core';
import { DistrictPolicyService, RiskThresholds } from '@app/registry';
import { isDeepStrictEqual } from 'node:util';
import { DataSource, EntityManager } from 'typeorm';
import { RiskFactsRepository } from './risk-facts.repository';
import { RiskFinding, RiskLevel, Severity, levelOf } from './risk-rule';
import { RISK_RULES } from './rules';

const SCAN_BATCH = 1000;

interface OpenFlag {
  institutionId: string;
  ruleCode: string;
  severity: Severity;
  evidence: Record<string, unknown>;
}

/**
 * Runs the rules over institutions and keeps their flags, levels and alerts in step: a flag opens when
 * its rule fires, follows its evidence, and closes by itself when the condition ends. A regulator's
 * resolution closes it too; the same evidence does not reopen it, new evidence does.
 */
@Injectable()
export class RiskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly facts: RiskFactsRepository,
    private readonly policies: DistrictPolicyService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** The nightly scan: every registered institution, in batches. */
  async fullScan(): Promise<{ institutions: number; red: number }> {
    const ids: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM institutions WHERE status IN ('licensed', 'suspended', 'expired') ORDER BY id`,
    );
    let red = 0;
    for (let start = 0; start < ids.length; start += SCAN_BATCH) {
      const levels = await this.evaluate(ids.slice(start, start + SCAN_BATCH).map((row) => row.id));
      red += [...levels.values()].filter((level) => level === 'red').length;
    }
    return { institutions: ids.length, red };
  }

  /** Evaluates institutions now; answers their levels. Safe to run twice: the second run changes nothing. */
  async evaluate(institutionIds: string[]): Promise<Map<string, RiskLevel>> {
    const now = this.clock.now();
    const facts = await this.facts.factsOf(institutionIds);
    const thresholds = new Map<string, RiskThresholds>();
    for (const districtCode of new Set(facts.map((fact) => fact.districtCode)))
      thresholds.set(districtCode, (await this.policies.policyOf(districtCode)).riskThresholds);
    const findings = new Map(
      facts.map((fact) => [
        fact.institutionId,
        new Map(
          RISK_RULES.flatMap((rule) => {
            const finding = rule.evaluate(fact, thresholds.get(fact.districtCode)!);
            return finding ? [[rule.code, finding] as [string, RiskFinding]] : [];
          }),
        ),
      ]),
    );
    return this.dataSource.transaction(async (manager) => {
      const levels = new Map<string, RiskLevel>();
      // Row locks in id order: two evaluations of the same institutions queue instead of racing.
      const institutions: Array<{ id: string; districtCode: string; riskLevel: RiskLevel }> = await manager.query(
        `SELECT id, district_code AS "districtCode", risk_level AS "riskLevel" FROM institutions WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
        [institutionIds],
      );
      const open: OpenFlag[] = await manager.query(
        `SELECT institution_id AS "institutionId", rule_code AS "ruleCode", severity, evidence FROM risk_flags WHERE status = 'open' AND institution_id = ANY($1::uuid[])`,
        [institutionIds],
      );
      const resolved: OpenFlag[] = await manager.query(
        `SELECT DISTINCT ON (institution_id, rule_code) institution_id AS "institutionId", rule_code AS "ruleCode", severity, evidence
         FROM risk_flags WHERE status = 'resolved' AND institution_id = ANY($1::uuid[]) ORDER BY institution_id, rule_code, closed_at DESC`,
        [institutionIds],
      );
      for (const institution of institutions) {
        const found = findings.get(institution.id) ?? new Map<string, RiskFinding>();
        const current = new Map(open.filter((flag) => flag.institutionId === institution.id).map((flag) => [flag.ruleCode, flag]));
        for (const [ruleCode, flag] of current) {
          const finding = found.get(ruleCode);
          if (!finding) {
            await manager.query(`UPDATE risk_flags SET status = 'closed', closed_at = $3 WHERE institution_id = $1 AND rule_code = $2 AND status = 'open'`, [
              institution.id,
              ruleCode,
              now,
            ]);
            current.delete(ruleCode);
          } else if (finding.severity !== flag.severity || !isDeepStrictEqual(finding.evidence, flag.evidence)) {
            await manager.query(`UPDATE risk_flags SET severity = $3, evidence = $4 WHERE institution_id = $1 AND rule_code = $2 AND status = 'open'`, [
              institution.id,
              ruleCode,
              finding.severity,
              finding.evidence,
            ]);
            current.set(ruleCode, { ...flag, severity: finding.severity, evidence: finding.evidence });
          }
        }
        for (const [ruleCode, finding] of found) {
          if (current.has(ruleCode)) continue;
          const accepted = resolved.find((flag) => flag.institutionId === institution.id && flag.ruleCode === ruleCode);
          if (accepted && isDeepStrictEqual(accepted.evidence, finding.evidence)) continue;
          await manager.query(
            `INSERT INTO risk_flags (institution_id, rule_code, severity, evidence, opened_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
            [institution.id, ruleCode, finding.severity, finding.evidence, now],
          );
          current.set(ruleCode, { institutionId: institution.id, ruleCode, severity: finding.severity, evidence: finding.evidence });
        }
        const level = levelOf([...current.values()].map((flag) => flag.severity));
        levels.set(institution.id, level);
        if (level === 'red' && institution.riskLevel !== 'red')
          await this.raiseAlert(
            manager,
            institution,
            [...current.values()].filter((flag) => flag.severity === 'red'),
          );
      }
      // Every level of the batch in one statement: one UPDATE per institution took a third to a half of the scan in bench/risk.
      if (levels.size) {
        await manager.query(
          `UPDATE institutions i SET risk_level = l.level, risk_evaluated_at = $3 FROM unnest($1::uuid[], $2::text[]) AS l(id, level) WHERE i.id = l.id`,
          [[...levels.keys()], [...levels.values()], now],
        );
      }
      return levels;
    });
  }

  async institutions(principal: Principal, filter: { level?: RiskLevel; page: number; pageSize: number }) {
    const pattern = districtLikePattern(principal) ?? '-';
    const params: unknown[] = [pattern, filter.level ?? null];
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM institutions WHERE district_code LIKE $1 AND status IN ('licensed', 'suspended', 'expired') AND ($2::text IS NULL OR risk_level = $2)`,
      params,
    );
    const items = await this.dataSource.query(
      `SELECT i.id, i.name, i.district_code AS "districtCode", i.status, i.risk_level AS level, i.risk_evaluated_at AS "evaluatedAt",
              coalesce((SELECT json_agg(json_build_object('ruleCode', f.rule_code, 'severity', f.severity, 'evidence', f.evidence, 'openedAt', f.opened_at) ORDER BY f.opened_at)
                        FROM risk_flags f WHERE f.institution_id = i.id AND f.status = 'open'), '[]') AS flags
       FROM institutions i WHERE i.district_code LIKE $1 AND i.status IN ('licensed', 'suspended', 'expired') AND ($2::text IS NULL OR i.risk_level = $2)
       ORDER BY CASE i.risk_level WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, i.name LIMIT $3 OFFSET $4`,
      [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
    );
    return { items, total, page: filter.page, pageSize: filter.pageSize };
  }

  async alerts(principal: Principal, filter: { status?: 'open' | 'resolved'; page: number; pageSize: number }) {
    const params: unknown[] = [districtLikePattern(principal) ?? '-', filter.status ?? null];
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM alerts WHERE district_code LIKE $1 AND ($2::text IS NULL OR status = $2)`,
      params,
    );
    const items = await this.dataSource.query(
      `SELECT a.id, a.institution_id AS "institutionId", i.name AS "institutionName", a.district_code AS "districtCode", a.kind, a.rule_code AS "ruleCode", a.severity,
              a.evidence, a.status, a.note, a.created_at AS "createdAt", a.resolved_at AS "resolvedAt"
       FROM alerts a LEFT JOIN institutions i ON i.id = a.institution_id
       WHERE a.district_code LIKE $1 AND ($2::text IS NULL OR a.status = $2) ORDER BY a.created_at DESC LIMIT $3 OFFSET $4`,
      [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
    );
    return { items, total, page: filter.page, pageSize: filter.pageSize };
  }

  /** A regulator resolves an alert with a note; the red flags behind it are resolved too, and the level follows. */
  async resolveAlert(principal: Principal, id: string, note: string) {
    const institutionId = await this.dataSource.transaction(async (manager) => {
      const [alert] = await manager.query(
        `SELECT id, institution_id AS "institutionId", district_code AS "districtCode", status, rule_code AS "ruleCode" FROM alerts WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!alert || !canSeeDistrict(principal, alert.districtCode)) throw notFound('The alert', 'ALERT.NOT_FOUND');
      if (alert.status !== 'open') throw new DomainError(409, 'ALERT.ALREADY_RESOLVED', 'The alert is already resolved.', { currentStatus: alert.status });
      await manager.query(`UPDATE alerts SET status = 'resolved', note = $2, resolved_at = $4, resolved_by = $3 WHERE id = $1`, [
        id,
        note,
        principal.id,
        this.clock.now(),
      ]);
      if (alert.institutionId) {
        await manager.query(
          `UPDATE risk_flags SET status = 'resolved', closed_at = $5, closed_by = $2, close_note = $3 WHERE institution_id = $1 AND status = 'open' AND rule_code = ANY($4::text[])`,
          [alert.institutionId, principal.id, note, String(alert.ruleCode).split(','), this.clock.now()],
        );
      }
      await this.audit.record(manager, {
        action: 'alert.resolved',
        targetType: 'alert',
        targetId: id,
        reason: note,
        districtCode: alert.districtCode,
        details: { institutionId: alert.institutionId },
      });
      return alert.institutionId as string | null;
    });
    if (institutionId) await this.recomputeLevel(institutionId);
    const [alert] = await this.dataSource.query(`SELECT id, status, note, resolved_at AS "resolvedAt" FROM alerts WHERE id = $1`, [id]);
    return alert;
  }

  private async recomputeLevel(institutionId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE institutions SET risk_level = CASE
         WHEN EXISTS (SELECT 1 FROM risk_flags WHERE institution_id = $1 AND status = 'open' AND severity = 'red') THEN 'red'
         WHEN EXISTS (SELECT 1 FROM risk_flags WHERE institution_id = $1 AND status = 'open') THEN 'yellow' ELSE 'green' END
       WHERE id = $1`,
      [institutionId],
    );
  }

  private async raiseAlert(manager: EntityManager, institution: { id: string; districtCode: string }, redFlags: OpenFlag[]): Promise<void> {
    const ruleCode = redFlags.map((flag) => flag.ruleCode).join(',');
    const evidence = Object.fromEntries(redFlags.map((flag) => [flag.ruleCode, flag.evidence]));
    const [alert] = await manager.query(
      `INSERT INTO alerts (institution_id, district_code, kind, rule_code, severity, evidence, created_at) VALUES ($1, $2, 'risk_red', $3, 'red', $4, $5) RETURNING id`,
      [institution.id, institution.districtCode, ruleCode, evidence, this.clock.now()],
    );
    await this.audit.record(manager, {
      action: 'risk.red',
      targetType: 'institution',
      targetId: institution.id,
      districtCode: institution.districtCode,
      actor: { id: null, role: 'system' },
      details: { alertId: alert.id, ruleCode },
    });
    await this.outbox.add(manager, 'risk.red', { alertId: alert.id, districtCode: institution.districtCode, ruleCode, subjectInstitutionId: institution.id });
  }
}
