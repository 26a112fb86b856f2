// @vitest-environment happy-dom
import { isValidElement } from 'react';
import type { RouteObject } from 'react-router';
import { describe, expect, it } from 'vitest';
import { APP_ROUTES, type AppRoute } from '../e2e/app-routes';
import type { Role } from './api/types';
import { areas } from './areas';
import { RequireRole } from './auth/guards';

const EVERY_ROLE: Role[] = ['admin', 'teacher', 'student', 'guardian'];

/** Each page (a route with a component) by its full path, with the roles its RequireRole guards let through. */
function pagesOf(routes: RouteObject[], parentPath = '', parentRoles = EVERY_ROLE): Record<string, Role[]> {
  const pages: Record<string, Role[]> = {};
  for (const route of routes) {
    const path = route.path ? `${parentPath}/${route.path}` : parentPath;
    const guard = isValidElement<{ roles: Role[] }>(route.element) && route.element.type === RequireRole ? route.element.props.roles : EVERY_ROLE;
    const roles = parentRoles.filter((role) => guard.includes(role));
    if (route.children) Object.assign(pages, pagesOf(route.children, path, roles));
    else pages[path] = roles;
  }
  return pages;
}

describe('the list of pages the accessibility browser test visits (e2e/app-routes.ts)', () => {
  it('holds every page of every area with the roles that reach it', () => {
    const pages = pagesOf(areas.flatMap((area) => area.routes));
    const listed = Object.fromEntries(Object.entries(APP_ROUTES).map(([path, roles]) => [path, [...roles].sort()]));
    expect(listed).toEqual(Object.fromEntries(Object.entries(pages).map(([path, roles]) => [path, roles.sort()])));
  });

  it("holds every role's navigation target", () => {
    for (const area of areas) {
      for (const [role, items] of Object.entries(area.navigation ?? {})) {
        for (const item of items) {
          const roles: readonly string[] = APP_ROUTES[item.to as AppRoute] ?? [];
          expect(roles, `${item.to} listed for ${role}`).toContain(role);
        }
      }
    }
  });
});
