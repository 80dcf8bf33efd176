export const ROLES = ['admin', 'regulator', 'institution', 'parent', 'bank'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller. `districtCode` scopes regulators (XXXX00 = a whole city) and bank clients. */
export interface Principal {
  id: string;
  role: Role;
  name: string;
  districtCode?: string;
}
