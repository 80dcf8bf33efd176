import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One step of an institution's licence history: who, when, why. Append-only. */
@Entity('institution_events')
export class InstitutionEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column('uuid')
  institutionId: string;

  @Column()
  action: string;

  @Column()
  fromStatus: string;

  @Column()
  toStatus: string;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column()
  actorRole: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;
}
