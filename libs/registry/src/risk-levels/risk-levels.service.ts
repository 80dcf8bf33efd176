import { Injectable } from '@nestjs/common';
import { Db } from '@app/core';
import { DataSource } from 'typeorm';
import type { RiskLevel } from '../institutions/institutions.repository';
import { InstitutionRiskRow, RiskLevelFilter, RiskLevelRow, RiskLevelsRepository } from './risk-levels.repository';

export type InstitutionRisk = InstitutionRiskRow;

/**
 * The risk level the register keeps on each institution (the public list greys a red one). Oversight
 * decides the levels; this is the only way they are written, in the caller's transaction.
 */
@Injectable()
export class RiskLevelsService {
  constructor(
    private readonly levels: RiskLevelsRepository,
    private readonly dataSource: DataSource,
  ) {}

  /** The institutions' current levels, their rows locked in id order until the caller's transaction ends. */
  lockForEvaluation(db: Db, institutionIds: string[]): Promise<RiskLevelRow[]> {
    return this.levels.lock(db, institutionIds);
  }

  /** Stores the levels of an evaluation, stamped `evaluatedAt`. */
  async record(db: Db, levels: ReadonlyMap<string, RiskLevel>, evaluatedAt: Date): Promise<void> {
    if (levels.size) await this.levels.record(db, [...levels.keys()], [...levels.values()], evaluatedAt);
  }

  /** A level changed outside an evaluation (a regulator resolved the flags behind it). */
  set(db: Db, institutionId: string, level: RiskLevel): Promise<void> {
    return this.levels.set(db, institutionId, level);
  }

  /** Institutions of a scope with their levels, red first. */
  page(filter: RiskLevelFilter): Promise<{ items: InstitutionRisk[]; total: number }> {
    return this.levels.page(this.dataSource.manager, filter);
  }
}
