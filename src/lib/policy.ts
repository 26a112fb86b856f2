import type { Principal } from '../modules/auth/queries.js';
import { forbidden } from './errors.js';

/** One rule: may this principal do the action to this record? */
type Rule = (principal: Principal, record: never) => boolean;

/**
 * A module's rules about who may do what to its records, in one file per module, each read like a
 * sentence (outline's server/policies): `classPolicy.can(principal, 'read', klass)`. The route's
 * `config.access` stays the coarse role gate; the policy decides per record, and `authorize`
 * answers 403 FORBIDDEN where it says no. Records a caller may not even know of are answered as
 * not found before a policy is asked (see the isolation walk).
 */
export function definePolicy<Rules extends Record<string, Rule>>(rules: Rules) {
  return {
    can<Action extends keyof Rules & string>(principal: Principal, action: Action, record: Parameters<Rules[Action]>[1]): boolean {
      return (rules[action] as (principal: Principal, record: unknown) => boolean)(principal, record);
    },
    authorize<Action extends keyof Rules & string>(principal: Principal, action: Action, record: Parameters<Rules[Action]>[1]): void {
      if (!this.can(principal, action, record)) throw forbidden();
    },
  };
}
