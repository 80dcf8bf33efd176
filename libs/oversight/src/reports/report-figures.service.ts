import { Injectable } from '@nestjs/common';
import { InstitutionFactsService } from '@app/registry';
import { TuitionFactsService } from '@app/tuition';
import { monthInstants } from './report-month';
import { ReportFigures } from './report-figures';

export type ComputedFigures = ReportFigures & { institutionId: string; month: string };

/**
 * What the platform knows of an institution's month (README "Computed figures"), months taken in
 * Shanghai time: pupils, contracts, lessons, money in and refunds from tuition and its escrow, teachers
 * from the register. The basis of the pre-filled form and of a filed report's discrepancies.
 */
@Injectable()
export class ReportFiguresService {
  constructor(
    private readonly tuition: TuitionFactsService,
    private readonly register: InstitutionFactsService,
  ) {}

  /** The figures of each (institution, month), in the order asked. */
  async compute(wanted: Array<{ institutionId: string; month: string }>): Promise<ComputedFigures[]> {
    if (!wanted.length) return [];
    const [tuition, teachers] = await Promise.all([
      this.tuition.monthFigures(wanted.map(({ institutionId, month }) => ({ institutionId, ...monthInstants(month) }))),
      this.register.teachersOf([...new Set(wanted.map((w) => w.institutionId))]),
    ]);
    return wanted.map(({ institutionId, month }, index) => {
      const onFile = teachers.get(institutionId)!;
      return { institutionId, month, ...tuition[index], teachers: onFile.teachers, fullTimeTeachers: onFile.fullTime };
    });
  }
}
