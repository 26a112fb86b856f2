/** Institution settings, the bell schedule and deleting the institution, in English. */
export const settings = {} as const;
