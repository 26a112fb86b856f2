/** A teacher's today, classes and gradebook, in English. */
export const teaching = {} as const;
