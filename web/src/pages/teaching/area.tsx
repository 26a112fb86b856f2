import type { WebArea } from '../../areas/area';

export const teachingArea: WebArea = {
  routes: [],
};
