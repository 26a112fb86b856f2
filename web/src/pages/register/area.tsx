import type { WebArea } from '../../areas/area';

export const registerArea: WebArea = {
  routes: [],
};
