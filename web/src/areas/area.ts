import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import type { Role } from '../api/types';
import type { MessageKey } from '../i18n';

/** One entry of the navigation. `order` places it among the other areas' entries (smaller first). */
export interface NavItem {
  to: string;
  label: MessageKey;
  order: number;
  /** Shown at the entry's end, such as the unread-messages count. */
  badge?: ComponentType;
}

/**
 * A part of the app: its pages (inside the signed-in shell, each guarding its own roles) and what
 * it adds to each role's navigation. A new area is one file and one line in `areas/index.ts`.
 */
export interface WebArea {
  routes: RouteObject[];
  navigation?: Partial<Record<Role, NavItem[]>>;
}

/** The same entry for every role. */
export function forEveryRole(item: NavItem): Record<Role, NavItem[]> {
  return { admin: [item], teacher: [item], student: [item], guardian: [item] };
}
