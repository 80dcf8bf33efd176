import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The supervising bank's machine client. Only a SHA-256 of its API key is kept. */
@Entity('bank_clients')
export class BankClient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  name: string;

  @Column()
  districtCode: string;

  @Column({ select: false })
  apiKeyHash: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
