/** What a parent complains about; `unlicensed` names a training operator that is not in the register (the black-list watch). */
export const COMPLAINT_CATEGORIES = ['refund_refused', 'lessons_not_delivered', 'safety', 'unlicensed', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
