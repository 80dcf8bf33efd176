import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('teachers')
export class Teacher {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  institutionId: string;

  @Column()
  name: string;

  @Column()
  fullTime: boolean;

  /** 教师资格证 number; required to teach subject courses; never shown in full publicly. */
  @Column({ type: 'text', nullable: true })
  qualificationNo: string | null;

  @Column('text', { array: true })
  subjects: string[];

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
