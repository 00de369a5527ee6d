import type { Scenario } from '../support/types';
import { cacheHitVsBaseline } from './cache-hit-vs-baseline';
import { coldLoad } from './cold-load';
import { firstView } from './first-view';
import { largeCompany } from './large-company';
import { refreshBurst } from './refresh-burst';

/**
 * Run in this order by bench/run.ts. Add a scenario: write bench/scenarios/<name>.ts and list it here.
 * large_company goes first: it measures the first load of the 10,000-project company whose cached
 * page cache_hit_vs_baseline then serves.
 */
export const SCENARIOS: readonly Scenario[] = [largeCompany, cacheHitVsBaseline, coldLoad, refreshBurst, firstView];
