import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuditService, Clock, Principal, ReferenceDataService, canSeeDistrict, notFound } from '@app/core';
import { DataSource, Repository } from 'typeorm';
import { DEFAULT_POLICY, DEFAULT_RISK_THRESHOLDS, DistrictPolicy } from './district-policy';
import { DistrictPolicyRow } from './district-policy.entity';

@Injectable()
export class DistrictPolicyService {
  constructor(
    @InjectRepository(DistrictPolicyRow) private readonly policies: Repository<DistrictPolicyRow>,
    private readonly reference: ReferenceDataService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The district's policy, or the defaults of DESIGN §4 where it has saved none. */
  async policyOf(districtCode: string): Promise<DistrictPolicy> {
    const row = await this.policies.findOneBy({ districtCode });
    if (!row) return DEFAULT_POLICY;
    const { districtCode: _code, updatedAt: _updatedAt, riskThresholds, ...policy } = row;
    return { ...policy, riskThresholds: { ...DEFAULT_RISK_THRESHOLDS, ...riskThresholds } };
  }

  async get(districtCode: string): Promise<DistrictPolicy> {
    if (!(await this.reference.findDistrict(districtCode))) throw notFound(`District ${districtCode}`, 'REFERENCE.UNKNOWN_DISTRICT');
    return this.policyOf(districtCode);
  }

  /** Replaces the policy; only a regulator whose scope covers the district (404 otherwise). */
  async put(principal: Principal, districtCode: string, policy: DistrictPolicy): Promise<DistrictPolicy> {
    const district = await this.reference.findDistrict(districtCode);
    if (!district || !district.cityCode || !canSeeDistrict(principal, districtCode)) throw notFound(`District ${districtCode}`, 'REFERENCE.UNKNOWN_DISTRICT');
    return this.dataSource.transaction(async (manager) => {
      await manager.upsert(DistrictPolicyRow, { districtCode, ...policy, updatedAt: this.clock.now() }, ['districtCode']);
      await this.audit.record(manager, { action: 'policy.updated', targetType: 'district', targetId: districtCode, districtCode, details: { ...policy } });
      return policy;
    });
  }
}
