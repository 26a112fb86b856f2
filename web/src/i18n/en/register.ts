/** Attendance registers, cover and missing registers, in English. */
export const register = {} as const;
