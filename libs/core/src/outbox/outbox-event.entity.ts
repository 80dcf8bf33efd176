import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A domain event, written in the transaction of the change it announces; the worker's relay sends it. */
@Entity('outbox')
export class OutboxEvent {
  @PrimaryColumn('uuid')
  id: string;

  @Column()
  type: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;
}
