import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One regulator action or money movement. The database refuses UPDATE and DELETE on this table. */
@Entity('audit_log')
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'text' })
  actorRole: string;

  @Column()
  action: string;

  @Column()
  targetType: string;

  @Column()
  targetId: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'text', nullable: true })
  requestId: string | null;

  /** The district the target belongs to, so a regulator's audit view can be scoped. */
  @Column({ type: 'text', nullable: true })
  districtCode: string | null;

  @Column({ type: 'jsonb', default: {} })
  details: Record<string, unknown>;
}
