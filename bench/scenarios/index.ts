import type { Scenario } from '../support/types';
import { cacheHitVsBaseline } from './cache-hit-vs-baseline';
import { coldLoad } from './cold-load';
import { largeCompany } from './large-company';
import { refreshBurst } from './refresh-burst';

/** Run in this order by bench/run.ts. Add a scenario: write bench/scenarios/<name>.ts and list it here. */
export const SCENARIOS: readonly Scenario[] = [cacheHitVsBaseline, largeCompany, coldLoad, refreshBurst];
