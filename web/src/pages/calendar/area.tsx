import type { WebArea } from '../../areas/area';

export const calendarArea: WebArea = {
  routes: [],
};
