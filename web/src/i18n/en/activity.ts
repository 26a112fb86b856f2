/** The activity log, in English. */
export const activity = {} as const;
