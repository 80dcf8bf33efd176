/** The figures of a monthly operating report (docs/domain.md, “Risk and reports”), in the order clients show them. */
export const REPORT_FIGURES = ['students', 'newContracts', 'lessonsDelivered', 'prepaidCollectedFen', 'refundsFen', 'teachers', 'fullTimeTeachers'] as const;
export type ReportFigure = (typeof REPORT_FIGURES)[number];
export type ReportFigures = Record<ReportFigure, number>;

export interface Discrepancy {
  field: ReportFigure;
  filed: number;
  computed: number;
}

/** Every filed figure that differs from the computed one; nothing for a figure not filed (an overdue row has none). */
export function discrepancies(filed: Partial<Record<ReportFigure, number | null>>, computed: ReportFigures): Discrepancy[] {
  return REPORT_FIGURES.filter((field) => filed[field] !== null && filed[field] !== undefined && filed[field] !== computed[field]).map((field) => ({
    field,
    filed: filed[field] as number,
    computed: computed[field],
  }));
}
