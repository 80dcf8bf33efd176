import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A message for one user, made from a domain event; (sourceEventId, userId) is unique so a replayed job adds nothing. */
@Entity('notifications')
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  userId: string;

  @Column()
  kind: string;

  @Column()
  message: string;

  @Column('uuid')
  sourceEventId: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readAt: Date | null;
}
