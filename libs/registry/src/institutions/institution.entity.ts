import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { InstitutionStatus } from '../licence/licence-state-machine';

export type InstitutionCategory = 'subject' | 'non_subject';
export type Delivery = 'offline' | 'online';
export type RiskLevel = 'green' | 'yellow' | 'red';

@Entity('institutions')
export class Institution {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  ownerUserId: string;

  @Column()
  name: string;

  /** Unified social credit code (GB 32100-2015). */
  @Column()
  uscc: string;

  @Column()
  districtCode: string;

  @Column()
  address: string;

  @Column({ type: 'text' })
  category: InstitutionCategory;

  @Column({ type: 'text' })
  delivery: Delivery;

  @Column()
  legalRepresentative: string;

  @Column('int', { name: 'premises_area_m2' })
  premisesAreaM2: number;

  @Column('int')
  capacity: number;

  @Column()
  phone: string;

  @Column({ type: 'text' })
  status: InstitutionStatus;

  /** Funds frozen by a regulator: lessons still accrue, settlements pay nothing. */
  @Column()
  frozen: boolean;

  @Column({ type: 'text' })
  riskLevel: RiskLevel;

  @Column({ type: 'text', nullable: true })
  licenceNumber: string | null;

  @Column({ type: 'date', nullable: true })
  licenceValidFrom: string | null;

  @Column({ type: 'date', nullable: true })
  licenceValidUntil: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
