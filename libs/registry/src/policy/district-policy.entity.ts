import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SizeBand } from '../catalogue/course.entity';
import type { RiskThresholds, SettlementCycle } from './district-policy';

/** A district's saved policy; a district without a row uses DEFAULT_POLICY. */
@Entity('district_policies')
export class DistrictPolicyRow {
  @PrimaryColumn()
  districtCode: string;

  @Column('int')
  maxPrepaidLessons: number;

  @Column('int')
  maxPrepaidMonths: number;

  @Column('bigint')
  maxPrepaidAmountFen: number;

  @Column('int')
  confirmWindowWorkingDays: number;

  @Column('int')
  refundResponseWorkingDays: number;

  @Column({ type: 'text' })
  settlementCycle: SettlementCycle;

  @Column('int')
  retentionRateBp: number;

  @Column('int')
  retentionDays: number;

  @Column('jsonb')
  guidedPrices: Partial<Record<SizeBand, number>>;

  @Column('int')
  reportDueDay: number;

  @Column()
  latestOfflineEnd: string;

  @Column()
  latestOnlineEnd: string;

  @Column('jsonb')
  riskThresholds: Partial<RiskThresholds>;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
