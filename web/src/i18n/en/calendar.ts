/** The calendar, in English. */
export const calendar = {} as const;
