import { methodNames, PosError } from '../../shared/contract';
import type { Handlers } from '../../electron/host/router';

/** A full handler table from the few a test cares about; the rest answer NOT_PROVISIONED. */
export function handlersWith(some: Partial<Handlers>): Handlers {
  const unused = async (): Promise<never> => {
    throw new PosError('NOT_PROVISIONED', 'not in this test');
  };
  return Object.fromEntries(methodNames.map((m) => [m, some[m] ?? unused])) as Handlers;
}
