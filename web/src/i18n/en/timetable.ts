/** The timetable editor, the generator and printing, in English. */
export const timetable = {} as const;
