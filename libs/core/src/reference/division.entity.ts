import { Column, Entity, PrimaryColumn } from 'typeorm';

export type DivisionLevel = 'province' | 'city' | 'district';

/**
 * One GB/T 2260 administrative division of the national list (migration 1764550000000-Divisions):
 * a province (XX0000), a city (XXXX00) or a county-level district. Whether the platform serves it is
 * the `districts` table's business, not this one's.
 */
@Entity('divisions')
export class Division {
  @PrimaryColumn()
  code: string;

  @Column()
  name: string;

  @Column({ type: 'text' })
  level: DivisionLevel;

  /** The city of a district (its province when it has no city: 省直辖县), the province of a city; null for a province. */
  @Column({ type: 'text', nullable: true })
  parentCode: string | null;
}
