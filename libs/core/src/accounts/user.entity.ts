import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../auth/principal';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Login name; a parent's is the mobile number. Stored lower-case. */
  @Column()
  username: string;

  @Column({ select: false })
  passwordHash: string;

  @Column({ type: 'text' })
  role: Role;

  @Column()
  name: string;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  /** A regulator's scope: a district, or XXXX00 for a whole city. */
  @Column({ type: 'text', nullable: true })
  districtCode: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
