import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A GB/T 2260 division the platform serves: a city (XXXX00) or one of its districts. */
@Entity('districts')
export class District {
  @PrimaryColumn()
  code: string;

  @Column()
  name: string;

  @Column()
  nameEn: string;

  /** The city's code for a district; null for a city. */
  @Column({ type: 'text', nullable: true })
  cityCode: string | null;

  @Column({ type: 'text', nullable: true })
  province: string | null;
}
