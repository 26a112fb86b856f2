import type { WebArea } from '../../areas/area';

export const activityArea: WebArea = {
  routes: [],
};
