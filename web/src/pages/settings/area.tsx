import type { WebArea } from '../../areas/area';

export const settingsArea: WebArea = {
  routes: [],
};
