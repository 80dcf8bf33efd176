import { Injectable } from '@nestjs/common';
import { AuditService, Clock, DomainError, OutboxService, Principal, canSeeDistrict, districtLikePattern, notFound } from '@app/core';
import { DistrictPolicyService, InstitutionFactsService, InstitutionRisk, RiskLevelsService } from '@app/registry';
import { isDeepStrictEqual } from 'node:util';
import { DataSource, EntityManager } from 'typeorm';
import { Page, PageRequest, limitOffset, pageOf } from '../page';
import { AlertResolution, AlertRow, AlertsRepository, AlertStatus } from './alerts.repository';
import { RiskFactsService } from './risk-facts.service';
import { OpenFlagView, RiskFlagRow, RiskFlagsRepository } from './risk-flags.repository';
import { RiskFinding, RiskLevel, RuleThresholds, levelOf, ruleThresholds } from './risk-rule';
import { RISK_RULES } from './rules';

const SCAN_BATCH = 1000;

/** Institutions the rules watch: those holding a licence, in force, suspended or lapsed. */
export const RISK_WATCHED_STATUSES = ['licensed', 'suspended', 'enrolment_stopped', 'expired'] as const;

/** A watched institution with its level and its open flags, oldest first. */
export type InstitutionRiskView = InstitutionRisk & { flags: OpenFlagView[] };

export interface AlertView extends AlertRow {
  /** Null for a finding about no registered institution (a statement line nothing explains). */
  institutionName: string | null;
}

export type ResolvedAlert = AlertResolution;

/**
 * Runs the rules over institutions and keeps their flags, levels and alerts in step: a flag opens when
 * its rule fires, follows its evidence, and closes by itself when the condition ends. A regulator's
 * resolution closes it too; the same evidence does not reopen it, new evidence does.
 */
@Injectable()
export class RiskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly facts: RiskFactsService,
    private readonly flags: RiskFlagsRepository,
    private readonly alertRows: AlertsRepository,
    private readonly levels: RiskLevelsService,
    private readonly register: InstitutionFactsService,
    private readonly policies: DistrictPolicyService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** The nightly scan: every watched institution, in batches. */
  async fullScan(): Promise<{ institutions: number; red: number }> {
    const ids = await this.register.idsWithStatus(RISK_WATCHED_STATUSES);
    let red = 0;
    for (let start = 0; start < ids.length; start += SCAN_BATCH) {
      const levels = await this.evaluate(ids.slice(start, start + SCAN_BATCH));
      red += [...levels.values()].filter((level) => level === 'red').length;
    }
    return { institutions: ids.length, red };
  }

  /** Evaluates institutions now; answers their levels. Safe to run twice: the second run changes nothing. */
  async evaluate(institutionIds: string[]): Promise<Map<string, RiskLevel>> {
    const now = this.clock.now();
    const facts = await this.facts.factsOf(institutionIds);
    const thresholds = new Map<string, RuleThresholds>();
    for (const districtCode of new Set(facts.map((fact) => fact.districtCode)))
      thresholds.set(districtCode, ruleThresholds(await this.policies.policyOf(districtCode)));
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
      const institutions = await this.levels.lockForEvaluation(manager, institutionIds);
      const open = byInstitution(await this.flags.openOf(manager, institutionIds));
      const resolved = byInstitution(await this.flags.lastResolvedOf(manager, institutionIds));
      for (const institution of institutions) {
        const found = findings.get(institution.id) ?? new Map<string, RiskFinding>();
        const current = new Map((open.get(institution.id) ?? []).map((flag) => [flag.ruleCode, flag]));
        for (const [ruleCode, flag] of current) {
          const finding = found.get(ruleCode);
          if (!finding) {
            await this.flags.close(manager, institution.id, ruleCode, now);
            current.delete(ruleCode);
          } else if (finding.severity !== flag.severity || !isDeepStrictEqual(finding.evidence, flag.evidence)) {
            const followed = { ...flag, severity: finding.severity, evidence: finding.evidence };
            await this.flags.follow(manager, followed);
            current.set(ruleCode, followed);
          }
        }
        for (const [ruleCode, finding] of found) {
          if (current.has(ruleCode)) continue;
          const accepted = resolved.get(institution.id)?.find((flag) => flag.ruleCode === ruleCode);
          if (accepted && isDeepStrictEqual(accepted.evidence, finding.evidence)) continue;
          const opened = { institutionId: institution.id, ruleCode, severity: finding.severity, evidence: finding.evidence };
          await this.flags.open(manager, opened, now);
          current.set(ruleCode, opened);
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
      await this.levels.record(manager, levels, now);
      return levels;
    });
  }

  /** Watched institutions of the caller's scope with their levels and open flags, red first. */
  async institutions(principal: Principal, filter: PageRequest & { level?: RiskLevel }): Promise<Page<InstitutionRiskView>> {
    const { items, total } = await this.levels.page({
      districtPattern: districtLikePattern(principal) ?? '-',
      statuses: RISK_WATCHED_STATUSES,
      level: filter.level ?? null,
      ...limitOffset(filter),
    });
    const open = await this.flags.openViews(
      this.dataSource.manager,
      items.map((item) => item.id),
    );
    const flags = new Map(open.map((row) => [row.institutionId, row.flags]));
    return pageOf(
      items.map((item) => ({ ...item, flags: flags.get(item.id) ?? [] })),
      total,
      filter,
    );
  }

  /** Alerts of the caller's scope, newest first. */
  async alerts(principal: Principal, filter: PageRequest & { status?: AlertStatus }): Promise<Page<AlertView>> {
    const { items, total } = await this.alertRows.page(this.dataSource.manager, {
      districtPattern: districtLikePattern(principal) ?? '-',
      status: filter.status ?? null,
      ...limitOffset(filter),
    });
    const institutions = await this.register.of([...new Set(items.flatMap((alert) => (alert.institutionId ? [alert.institutionId] : [])))]);
    const nameOf = (institutionId: string | null) => (institutionId ? (institutions.get(institutionId)?.name ?? null) : null);
    return pageOf(
      items.map((alert) => ({ ...alert, institutionName: nameOf(alert.institutionId) })),
      total,
      filter,
    );
  }

  /** A regulator resolves an alert with a note; the red flags behind it are resolved too, and the level follows. */
  async resolveAlert(principal: Principal, id: string, note: string): Promise<ResolvedAlert> {
    const institutionId = await this.dataSource.transaction(async (manager) => {
      const alert = await this.alertRows.lock(manager, id);
      if (!alert || !canSeeDistrict(principal, alert.districtCode)) throw notFound('The alert', 'ALERT.NOT_FOUND');
      if (alert.status !== 'open') throw new DomainError(409, 'ALERT.ALREADY_RESOLVED', 'The alert is already resolved.', { currentStatus: alert.status });
      const resolution = { id: principal.id, note, at: this.clock.now() };
      await this.alertRows.resolve(manager, id, resolution);
      if (alert.institutionId) await this.flags.resolve(manager, alert.institutionId, alert.ruleCode.split(','), resolution);
      await this.audit.record(manager, {
        action: 'alert.resolved',
        targetType: 'alert',
        targetId: id,
        reason: note,
        districtCode: alert.districtCode,
        details: { institutionId: alert.institutionId },
      });
      return alert.institutionId;
    });
    if (institutionId) {
      const db = this.dataSource.manager;
      await this.levels.set(db, institutionId, levelOf(await this.flags.openSeverities(db, institutionId)));
    }
    return (await this.alertRows.resolution(this.dataSource.manager, id))!;
  }

  private async raiseAlert(manager: EntityManager, institution: { id: string; districtCode: string }, redFlags: RiskFlagRow[]): Promise<void> {
    const ruleCode = redFlags.map((flag) => flag.ruleCode).join(',');
    const evidence = Object.fromEntries(redFlags.map((flag) => [flag.ruleCode, flag.evidence]));
    const alertId = await this.alertRows.raiseRiskRed(manager, {
      institutionId: institution.id,
      districtCode: institution.districtCode,
      ruleCode,
      evidence,
      at: this.clock.now(),
    });
    await this.audit.record(manager, {
      action: 'risk.red',
      targetType: 'institution',
      targetId: institution.id,
      districtCode: institution.districtCode,
      actor: { id: null, role: 'system' },
      details: { alertId, ruleCode },
    });
    await this.outbox.add(manager, 'risk.red', { alertId, districtCode: institution.districtCode, ruleCode, subjectInstitutionId: institution.id });
  }
}

function byInstitution(flags: RiskFlagRow[]): Map<string, RiskFlagRow[]> {
  const grouped = new Map<string, RiskFlagRow[]>();
  for (const flag of flags) {
    const list = grouped.get(flag.institutionId);
    if (list) list.push(flag);
    else grouped.set(flag.institutionId, [flag]);
  }
  return grouped;
}
