/** The grades a class can be in, as the API allows (1-12). */
export const GRADES = Array.from({ length: 12 }, (_, index) => String(index + 1));
