import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One year's public holidays and make-up working days (调休), as the State Council publishes them. */
@Entity('calendar_years')
export class CalendarYear {
  @PrimaryColumn('int')
  year: number;

  @Column({ type: 'date', array: true })
  holidays: string[];

  @Column({ type: 'date', array: true })
  workdays: string[];

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
