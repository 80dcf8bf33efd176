import { Injectable } from '@nestjs/common';
import { AuditService, Clock, Principal, ReferenceDataService, canSeeDistrict, notFound } from '@app/core';
import { DataSource } from 'typeorm';
import { DEFAULT_POLICY, DEFAULT_RISK_THRESHOLDS, DistrictPolicy } from './district-policy';
import { DistrictPolicyRepository } from './district-policy.repository';

@Injectable()
export class DistrictPolicyService {
  constructor(
    private readonly policies: DistrictPolicyRepository,
    private readonly reference: ReferenceDataService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The district's policy, or the defaults of docs/domain.md, “District policy” where it has saved none. */
  async policyOf(districtCode: string): Promise<DistrictPolicy> {
    const saved = await this.policies.find(this.dataSource.manager, districtCode);
    if (!saved) return DEFAULT_POLICY;
    return { ...saved, riskThresholds: { ...DEFAULT_RISK_THRESHOLDS, ...saved.riskThresholds } };
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
      await this.policies.put(manager, districtCode, policy, this.clock.now());
      await this.audit.record(manager, { action: 'policy.updated', targetType: 'district', targetId: districtCode, districtCode, details: { ...policy } });
      return policy;
    });
  }
}
