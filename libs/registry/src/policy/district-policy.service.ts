import { Injectable } from '@nestjs/common';
import { AuditService, Clock, Db, Principal, ReferenceDataService, canSeeDistrict, notFound } from '@app/core';
import { DataSource } from 'typeorm';
import { DEFAULT_POLICY, DistrictPolicy, INHERIT_ALL, OwnPolicy, PolicyChange, applyPolicyChange, mergePolicy, overriddenFields } from './district-policy';
import { DistrictPolicyRepository } from './district-policy.repository';

/** A city's or a district's policy as its answers show it: what it sets itself, and what is in force. */
export interface PolicyView {
  code: string;
  /** A city holds the defaults of its districts; a district inherits from its city. */
  level: 'city' | 'district';
  /** The city whose policy fills the fields the district leaves null; null for a city (the platform's defaults fill them). */
  inheritsFrom: string | null;
  own: OwnPolicy;
  effective: DistrictPolicy;
}

/**
 * The one place a policy in force is computed (docs/domain.md, "District policy"): a district's own
 * fields over its city's, the city's over the platform's defaults. Nothing caches a policy: every rule
 * reads it through policyOf when it applies it, so a change of the city's policy is in force in every
 * inheriting district at its commit.
 */
@Injectable()
export class DistrictPolicyService {
  constructor(
    private readonly policies: DistrictPolicyRepository,
    private readonly reference: ReferenceDataService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The policy in force in the district (or city): what every rule reads. */
  async policyOf(districtCode: string): Promise<DistrictPolicy> {
    return (await this.view(this.dataSource.manager, districtCode)).effective;
  }

  async get(districtCode: string): Promise<PolicyView> {
    if (!(await this.reference.findDistrict(districtCode))) throw notFound(`District ${districtCode}`, 'REFERENCE.UNKNOWN_DISTRICT');
    return this.view(this.dataSource.manager, districtCode);
  }

  /**
   * Changes a city's or a district's own policy: a field left out stays, null inherits, a value
   * overrides. Only a regulator whose scope covers the code (404 otherwise, as for any record out of
   * scope): a city's policy therefore only by the city's regulators, never by one of its districts'.
   */
  async change(principal: Principal, districtCode: string, change: PolicyChange): Promise<PolicyView> {
    const district = await this.reference.findDistrict(districtCode);
    if (!district || !canSeeDistrict(principal, districtCode)) throw notFound(`District ${districtCode}`, 'REFERENCE.UNKNOWN_DISTRICT');
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const own = applyPolicyChange(await this.policies.lock(manager, districtCode, now), change);
      await this.policies.save(manager, districtCode, own, now);
      const view = await this.view(manager, districtCode);
      await this.audit.record(manager, {
        action: 'policy.updated',
        targetType: view.level,
        targetId: districtCode,
        districtCode,
        details: { change, overrides: overriddenFields(own) },
      });
      return view;
    });
  }

  private async view(db: Db, code: string): Promise<PolicyView> {
    const district = await this.reference.findDistrict(code);
    // A county-level city under its province is served as its own city (docs/decisions.md, "National
    // divisions"): it has no city above it to inherit from.
    const city = district?.cityCode && district.cityCode !== code ? district.cityCode : null;
    const own = await this.policies.findMany(db, city ? [code, city] : [code]);
    const inherited = city ? mergePolicy(DEFAULT_POLICY, own.get(city) ?? INHERIT_ALL) : DEFAULT_POLICY;
    const mine = own.get(code) ?? INHERIT_ALL;
    return { code, level: district && !district.cityCode ? 'city' : 'district', inheritsFrom: city, own: mine, effective: mergePolicy(inherited, mine) };
  }
}
