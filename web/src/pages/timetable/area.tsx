import type { WebArea } from '../../areas/area';

export const timetableArea: WebArea = {
  routes: [],
};
