import { Principal } from './principal';

/** A district code prefix the caller may see: '' for everything, 4 digits for a city, 6 for a district. */
export function districtPrefix(principal: Principal): string | undefined {
  if (principal.role === 'admin') return '';
  if ((principal.role === 'regulator' || principal.role === 'bank') && principal.districtCode) {
    return isCityCode(principal.districtCode) ? principal.districtCode.slice(0, 4) : principal.districtCode;
  }
  return undefined;
}

export function isCityCode(code: string): boolean {
  return /^\d{4}00$/.test(code);
}

/** Whether a regulator (or admin) may see data of this district. */
export function canSeeDistrict(principal: Principal, districtCode: string): boolean {
  const prefix = districtPrefix(principal);
  return prefix !== undefined && districtCode.startsWith(prefix);
}

/** SQL LIKE pattern for the caller's districts; undefined when the caller has no district scope. */
export function districtLikePattern(principal: Principal): string | undefined {
  const prefix = districtPrefix(principal);
  return prefix === undefined ? undefined : `${prefix}%`;
}
