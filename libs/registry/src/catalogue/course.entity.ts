import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { InstitutionCategory } from '../institutions/institution.entity';

export const SIZE_BANDS = ['<10', '10-35', '>35'] as const;
export type SizeBand = (typeof SIZE_BANDS)[number];

@Entity('courses')
export class Course {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  institutionId: string;

  @Column()
  name: string;

  @Column()
  subject: string;

  @Column({ type: 'text' })
  category: InstitutionCategory;

  @Column({ type: 'text' })
  sizeBand: SizeBand;

  @Column('int')
  lessonMinutes: number;

  @Column('bigint')
  lessonPriceFen: number;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
